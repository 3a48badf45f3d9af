import { expect, test } from 'vitest'
import { parseShape, type Shape, shapeOf, shapeToJson } from '../../src/infer/index.js'
import { canonicalJson, parseShapeJson } from '../../src/store/shape-json.js'

const hostile = JSON.parse(
  '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"toString":"a","list":[{"__proto__":1}],"n":1.5}',
) as unknown

const samples: Shape[] = [
  shapeOf(hostile),
  shapeOf({ id: 1, tags: ['a', 'b'], when: '2024-01-02T03:04:05Z', nested: { deep: [{ x: null }] } }),
  shapeOf(Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`k${i}`, i % 3 ? 'v' : i]))),
  shapeOf('plain'),
  // Integer-like names (objects list them first, numerically), names that need escaping, and an
  // object whose names arrive out of order next to one whose names arrive sorted.
  shapeOf({
    '10': 1,
    '2': 'b',
    a: [1, 2.5, -0],
    '\u0000"q"\\': true,
    é: null,
    '\ud83d': 'x',
    zz: { b: 1, a: 2 },
    aa: { a: 1, b: 2 },
  }),
  shapeOf([[[]], [{}], [{ y: 1 }, { x: 1 }]]),
]

test('plain values: array-index names first, the others sorted as .sort() does, undefined left out, non-finite numbers as null', () => {
  const value = {
    b: [undefined, Number.NaN, Number.POSITIVE_INFINITY, 1e21, -0],
    '10': { y: undefined, x: 'a"b' },
    '9': false,
    a: undefined,
  }
  const sortedReplacer = (_k: string, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v
  expect(canonicalJson(value)).toBe('{"9":false,"10":{"x":"a\\"b"},"b":[null,null,null,1e+21,0]}')
  expect(canonicalJson(value)).toBe(JSON.stringify(value, sortedReplacer))
})

function prototypesOf(value: unknown, out: unknown[] = []): unknown[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    out.push(Object.getPrototypeOf(value))
    for (const v of Object.values(value)) prototypesOf(v, out)
  }
  return out
}

test.each(samples.map((s, i) => [i, s] as const))(
  'shape %i: same text as shapeToJson, same value as parseShape',
  (_i, shape) => {
    const json = shapeToJson(shape)
    expect(canonicalJson(shape)).toBe(json)
    const parsed = parseShapeJson(json)
    expect(parsed).toEqual(parseShape(json))
    expect(canonicalJson(parsed)).toBe(json)
    expect(new Set(prototypesOf(parsed))).toEqual(new Set([null]))
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  },
)

test('a "__proto__" property name stays an own data property', () => {
  const parsed = parseShapeJson(shapeToJson(shapeOf(hostile)))
  const name = '__proto__'
  expect(Object.keys(parsed.obj?.props ?? {})).toContain(name)
  expect(Object.getPrototypeOf(parsed.obj?.props[name])).toBeNull()
})
