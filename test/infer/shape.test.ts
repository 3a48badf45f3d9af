import { describe, expect, test } from 'vitest'
import { createRng, type Rng } from '../../bench/accuracy/rng.js'
import {
  mergeAll,
  mergeShapes,
  parseShape,
  type Shape,
  type ShapeOfOptions,
  scaleShape,
  shapeOf,
  shapeToJson,
} from '../../src/infer/index.js'
import { referenceMergeShapes, referenceShapeOf } from './shape-reference.js'

const KEYS = [
  'id',
  'name',
  'email',
  'status',
  'tags',
  'meta',
  'b',
  'a',
  'Z',
  '_x',
  '9',
  '10',
  '__proto__',
  'constructor',
  'é',
  'zz',
  'items',
  'role',
]
const ID_KEYS = ['1', '22', '333', '0f3e9a7c1b2d', '123e4567-e89b-12d3-a456-426614174000', '4567']
const TOKENS = Array.from({ length: 20 }, (_, i) => `tok${String.fromCharCode(97 + i)}`)
const STRINGS = ['2024-01-01', '2024-05-01T10:00:00Z', 'a@b.co', 'https://x.io/a', 'some text', '', '10.0.0.1', 'ab']

// Random JSON with what the lattice treats specially: maps keyed by ids, more enum candidates
// than the cap, keys out of order (integer-like ones too), formats, nesting and wide objects.
function randomJson(rng: Rng, depth = 0): unknown {
  switch (rng.int(0, depth > 3 ? 5 : 9)) {
    case 0:
      return rng.int(-5, 1000)
    case 1:
      return rng.int(0, 100) + 0.25
    case 2:
      return rng.pick(TOKENS)
    case 3:
      return rng.pick(STRINGS)
    case 4:
      return rng.chance(0.5)
    case 5:
      return rng.chance(0.5) ? null : rng.pick(TOKENS.slice(0, 3))
    case 6:
    case 7:
      return Array.from({ length: rng.int(0, 6) }, () => randomJson(rng, depth + 1))
    case 8: {
      const out: Record<string, unknown> = {}
      const n = rng.int(0, rng.chance(0.2) ? 12 : 5)
      for (let i = 0; i < n; i++) out[rng.pick(KEYS)] = randomJson(rng, depth + 1)
      return out
    }
    default: {
      const out: Record<string, unknown> = {}
      for (let i = rng.int(1, 4); i > 0; i--) out[rng.pick(ID_KEYS)] = randomJson(rng, depth + 1)
      return out
    }
  }
}

// JSON that keeps the enumeration order of every map (props, fmt, tag, vals) but sorts the
// fixed fields of shape nodes, whose order carries no meaning.
function orderedText(shape: Shape): string {
  const MAPS = new Set(['props', 'fmt', 'tag', 'vals'])
  const visit = (node: unknown, isMap: boolean): unknown => {
    if (node === null || typeof node !== 'object') return node
    const record = node as Record<string, unknown>
    const keys = isMap ? Object.keys(record) : Object.keys(record).sort()
    return keys.map((k) => [k, visit(record[k], !isMap && MAPS.has(k))])
  }
  return JSON.stringify(visit(shape, false))
}

// The first difference between two shapes (values, own keys, map order, prototypes), or ''.
function difference(a: unknown, b: unknown, path = '$'): string {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return Object.is(a, b) ? '' : `${path}: ${String(a)} vs ${String(b)}`
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: prototypes differ`
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.join('\u0000') !== kb.join('\u0000') && ka.sort().join('\u0000') !== kb.sort().join('\u0000')) {
    return `${path}: keys ${ka} vs ${kb}`
  }
  for (const k of ka) {
    const d = difference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`)
    if (d !== '') return d
  }
  return ''
}

const wide = (n: number, value: unknown) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, value]))

const OPTIONS: Array<[string, ShapeOfOptions]> = [
  ['default limits', {}],
  ['small caps', { limits: { maxPropsPerObject: 3, maxItemsPerArray: 4, maxEnumValueLength: 5 } }],
  ['tiny node budget', { limits: { maxNodes: 12 } }],
  ['shallow', { limits: { maxDepth: 2 } }],
  ['props cap above the merge cap', { limits: { maxPropsPerObject: 300 } }],
  [
    'a classifier',
    { classify: (key, value) => (key === 'email' || value.includes('@') ? 'email' : value === 'ab' ? 'x' : undefined) },
  ],
]

describe('shapeOf equals the pairwise-merge reference', () => {
  test.each(OPTIONS)('%s, 400 random documents', (_name, options) => {
    const rng = createRng(OPTIONS.findIndex(([n]) => n === _name) + 11)
    for (let i = 0; i < 400; i++) {
      const value = randomJson(rng)
      const fast = shapeOf(value, options)
      const reference = referenceShapeOf(value, options)
      expect(difference(fast, reference)).toBe('')
      expect(orderedText(fast)).toBe(orderedText(reference))
    }
  })

  test.each(OPTIONS)('%s, wide objects and arrays past the caps', (_name, options) => {
    const values: unknown[] = [
      [wide(150, 1), wide(150, 'tokb'), { k0: 'x', zz: [1, 'a'] }],
      Array.from({ length: 70 }, (_, i) => ({ [`p${i}`]: i, [`q${i % 7}`]: TOKENS[i % 20] })),
      Array.from({ length: 40 }, (_, i) => wide(210 + i, i % 2 === 0 ? 'tokc' : null)),
      [wide(320, 1), wide(5, 'x')],
      { list: Array.from({ length: 30 }, (_, i) => ({ [String(1000 + i)]: { v: i } })) },
      [[1, [2, [3, ['a', { b: [] }]]]], [], [[]]],
      // Items sharing one key list (in and out of order), then another, then the first again.
      Array.from({ length: 20 }, (_, i) =>
        i % 7 === 3
          ? {
              z: i,
              a: [
                { y: 1, b: 'tokd' },
                { y: 'x', b: null },
              ],
              m: { 12: 'a', b: i },
            }
          : { b: i % 3 === 0 ? null : TOKENS[i], a: [{ y: i, b: 'toke' }], m: { b: [i], 12: 'b' }, z: 'tokf' },
      ),
    ]
    for (const value of values) {
      const fast = shapeOf(value, options)
      const reference = referenceShapeOf(value, options)
      expect(difference(fast, reference)).toBe('')
      expect(orderedText(fast)).toBe(orderedText(reference))
    }
  })
})

describe('mergeShapes equals the reference merge', () => {
  test.each([1, 2, 3, 4])('seed %i: random pairs, sorted and unsorted maps', (seed) => {
    const rng = createRng(seed)
    // Read back with every map reversed, so the merge also sees keys out of order.
    const reversed = (s: Shape): Shape =>
      parseShape(
        JSON.stringify(s, (_k, v: unknown) =>
          v !== null && typeof v === 'object' && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v as Record<string, unknown>).reverse())
            : v,
        ),
      )
    for (let i = 0; i < 300; i++) {
      let a = shapeOf(randomJson(rng))
      let b = shapeOf(randomJson(rng))
      if (rng.chance(0.3)) a = reversed(a)
      if (rng.chance(0.3)) b = reversed(b)
      const merged = mergeShapes(a, b)
      const reference = referenceMergeShapes(a, b)
      expect(difference(merged, reference)).toBe('')
      expect(orderedText(merged)).toBe(orderedText(reference))
    }
  })

  test('the union keeps the PROPS_CAP smallest keys, whatever the order of the inputs', () => {
    const a = shapeOf(wide(180, 1))
    const b = shapeOf(Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`j${i}`, 'x'])))
    expect(shapeToJson(mergeShapes(a, b))).toBe(shapeToJson(referenceMergeShapes(a, b)))
    expect(shapeToJson(mergeShapes(b, a))).toBe(shapeToJson(mergeShapes(a, b)))
    expect(mergeShapes(a, b).obj?.restKeys).toBe(40)
  })
})

describe('scaleShape', () => {
  const reversed = (s: Shape): Shape =>
    parseShape(
      JSON.stringify(s, (_k, v: unknown) =>
        v !== null && typeof v === 'object' && !Array.isArray(v)
          ? Object.fromEntries(Object.entries(v as Record<string, unknown>).reverse())
          : v,
      ),
    )

  test.each([1, 2, 3])('seed %i: a shape times k equals k merges of it', (seed) => {
    const rng = createRng(100 + seed)
    for (let i = 0; i < 150; i++) {
      const options = rng.chance(0.2) ? { limits: { maxPropsPerObject: 300 } } : {}
      const value = rng.chance(0.1) ? [wide(rng.int(190, 260), rng.pick(TOKENS))] : randomJson(rng)
      let shape = shapeOf(value, options)
      if (rng.chance(0.3)) shape = reversed(shape)
      const k = rng.int(1, 5)
      const folded = mergeAll(Array.from({ length: k }, () => shape)) as Shape
      expect(difference(scaleShape(shape, k), folded)).toBe('')
      expect(orderedText(scaleShape(shape, k))).toBe(orderedText(folded))
    }
  })

  test('times 1 is the shape itself; times must be a positive integer', () => {
    const shape = shapeOf({ a: 1 })
    expect(scaleShape(shape, 1)).toBe(shape)
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => scaleShape(shape, bad)).toThrow(RangeError)
  })
})
