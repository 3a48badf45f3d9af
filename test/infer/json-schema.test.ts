import { describe, expect, test } from 'vitest'
import { createRng, type Rng, shuffled } from '../../bench/accuracy/rng.js'
import {
  mergeAll,
  mergeShapes,
  type OpenApiVersion,
  type Shape,
  shapeOf,
  shapeToJson,
  toJsonSchema,
} from '../../src/infer/index.js'
import type { Doc } from './doc.js'

const shapeOfAll = (values: unknown[]): Shape => mergeAll(values.map((v) => shapeOf(v))) as Shape
const repeat = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i))

interface Case {
  name: string
  values: unknown[]
  openapi?: OpenApiVersion
  expected: Record<string, unknown>
}

const cases: Case[] = [
  { name: 'integers stay integer', values: [1, 2, 3], expected: { type: 'integer' } },
  { name: 'integer widens to number', values: [1, 2.5], expected: { type: 'number' } },
  {
    name: 'required only when present in every observation',
    values: [{ a: 1, b: 'x' }, { a: 2 }],
    expected: {
      type: 'object',
      properties: { a: { type: 'integer' }, b: { type: 'string' } },
      required: ['a'],
    },
  },
  {
    name: 'null makes a property nullable (3.1: type array)',
    values: [{ a: 'x' }, { a: null }],
    expected: { type: 'object', properties: { a: { type: ['string', 'null'] } }, required: ['a'] },
  },
  {
    name: 'null makes a property nullable (3.0: nullable)',
    openapi: '3.0',
    values: [{ a: 'x' }, { a: null }],
    expected: { type: 'object', properties: { a: { type: 'string', nullable: true } }, required: ['a'] },
  },
  { name: 'only null (3.1)', values: [null, null], expected: { type: 'null' } },
  {
    name: 'only null (3.0)',
    openapi: '3.0',
    values: [null],
    expected: { nullable: true, description: 'only null was observed' },
  },
  {
    name: 'a format only when every string agrees',
    values: ['2024-01-01T00:00:00Z', '2025-02-03T04:05:06.123+02:00'],
    expected: { type: 'string', format: 'date-time' },
  },
  { name: 'mixed formats give a plain string', values: ['2024-01-01', 'a@b.co'], expected: { type: 'string' } },
  {
    name: 'uuid, email, uri, ipv4, ipv6, date, time formats',
    values: [
      {
        u: '3e4e0e9a-9d3c-4f0b-8a55-1c2d3e4f5a6b',
        e: 'a@b.co',
        r: 'https://x.io/a',
        i: '10.0.0.1',
        v: '::1',
        d: '2024-02-29',
        t: '10:00:00Z',
      },
    ],
    expected: {
      type: 'object',
      properties: {
        d: { type: 'string', format: 'date' },
        e: { type: 'string', format: 'email' },
        i: { type: 'string', format: 'ipv4' },
        r: { type: 'string', format: 'uri' },
        t: { type: 'string', format: 'time' },
        u: { type: 'string', format: 'uuid' },
        v: { type: 'string', format: 'ipv6' },
      },
      required: ['d', 'e', 'i', 'r', 't', 'u', 'v'],
    },
  },
  {
    name: 'objects keyed by ids become maps',
    values: [{ '101': { n: 1 }, '102': { n: 2 } }, { '7': { n: 3 } }],
    expected: {
      type: 'object',
      additionalProperties: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
    },
  },
  {
    name: 'arrays merge their items',
    values: [[{ a: 1 }], [{ a: 2, b: true }], []],
    expected: {
      type: 'array',
      items: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'boolean' } }, required: ['a'] },
    },
  },
  { name: 'empty arrays only: items {}', values: [[], []], expected: { type: 'array', items: {} } },
  {
    name: 'true type conflicts become oneOf',
    values: ['x', 1, null],
    expected: { oneOf: [{ type: 'integer' }, { type: 'string' }, { type: 'null' }] },
  },
  {
    name: 'true type conflicts in 3.0: nullable alternatives',
    openapi: '3.0',
    values: ['x', 1, null],
    expected: {
      oneOf: [
        { type: 'integer', nullable: true },
        { type: 'string', nullable: true },
      ],
    },
  },
  {
    name: 'enum with strong evidence (few values, many observations, each repeated)',
    values: repeat(21, (i) => ({ state: ['open', 'closed', 'merged'][i % 3] })),
    expected: {
      type: 'object',
      properties: { state: { type: 'string', enum: ['closed', 'merged', 'open'], 'x-specter-inferred-enum': true } },
      required: ['state'],
    },
  },
  {
    name: 'no enum under 20 observations',
    values: repeat(19, (i) => ({ state: ['open', 'closed'][i % 2] })),
    expected: { type: 'object', properties: { state: { type: 'string' } }, required: ['state'] },
  },
  {
    name: 'no enum when a value was seen once',
    values: [...repeat(20, () => ({ state: 'open' })), { state: 'weird' }],
    expected: { type: 'object', properties: { state: { type: 'string' } }, required: ['state'] },
  },
  {
    name: 'no enum over 8 distinct values',
    values: repeat(40, (i) => ({ state: `s${i % 9}` })),
    expected: { type: 'object', properties: { state: { type: 'string' } }, required: ['state'] },
  },
  {
    name: 'nullable enum lists null (3.0)',
    openapi: '3.0',
    values: [...repeat(20, (i) => ({ s: ['a', 'b'][i % 2] })), { s: null }],
    expected: {
      type: 'object',
      properties: { s: { type: 'string', nullable: true, enum: ['a', 'b', null], 'x-specter-inferred-enum': true } },
      required: ['s'],
    },
  },
]

describe('toJsonSchema', () => {
  test.each(cases)('$name', ({ values, openapi, expected }) => {
    expect(toJsonSchema(shapeOfAll(values), { openapi: openapi ?? '3.1' })).toEqual(expected)
  })

  test('depth is bounded: deeper nodes become {} with a description', () => {
    let deep: unknown = 1
    for (let i = 0; i < 10; i++) deep = { d: deep }
    const schema = toJsonSchema(shapeOf(deep), { maxDepth: 3 }) as Doc
    expect(schema.properties.d.properties.d.properties.d.properties.d).toEqual({
      description: 'not described: nested deeper than 3 levels',
    })
  })

  test('nodes truncated at capture become {} with a description', () => {
    let deep: unknown = 'x'
    for (let i = 0; i < 5; i++) deep = [deep]
    const schema = toJsonSchema(shapeOf(deep, { limits: { maxDepth: 2 } })) as Doc
    expect(schema.items.items.items).toEqual({ description: 'not described: over the size or depth limit at capture' })
  })

  test('width is bounded: properties past the cap are not described', () => {
    const wide = Object.fromEntries(repeat(30, (i) => [`k${String(i).padStart(2, '0')}`, i]))
    const schema = toJsonSchema(shapeOf(wide), { maxProperties: 10 }) as Doc
    expect(Object.keys(schema.properties)).toHaveLength(10)
    expect(schema.additionalProperties).toEqual({})
  })

  test('a property named __proto__ is plain data', () => {
    const schema = toJsonSchema(shapeOf(JSON.parse('{"__proto__":{"x":1}}'))) as Doc
    expect(Object.keys(schema.properties)).toEqual(['__proto__'])
    expect(Object.getPrototypeOf(schema.properties)).toBe(null)
  })
})

// Random JSON documents of a few realistic kinds, with optional fields, nulls and type noise.
function randomValue(rng: Rng, depth = 0): unknown {
  const kind = rng.int(0, depth > 2 ? 4 : 7)
  switch (kind) {
    case 0:
      return rng.int(-5, 1000)
    case 1:
      return rng.int(0, 100) + 0.5
    case 2:
      return rng.pick(['open', 'closed', '2024-01-01', 'a@b.co', 'https://x.io', 'text'])
    case 3:
      return rng.chance(0.5)
    case 4:
      return null
    case 5:
      return repeat(rng.int(0, 3), () => randomValue(rng, depth + 1))
    case 6: {
      const out: Record<string, unknown> = {}
      for (const k of ['id', 'name', 'tags', 'meta', 'owner']) if (rng.chance(0.6)) out[k] = randomValue(rng, depth + 1)
      return out
    }
    default:
      return { [String(rng.int(1, 99))]: randomValue(rng, depth + 1) }
  }
}

describe('merging is order-independent (seeded property test)', () => {
  test.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'seed %i: shuffled and regrouped inputs give the same shape and schema',
    (seed) => {
      const rng = createRng(seed)
      const shapes = repeat(60, () => shapeOf(randomValue(rng)))
      const base = mergeAll(shapes) as Shape
      for (let round = 0; round < 5; round++) {
        const order = shuffled(shapes, rng)
        // Fold left, and a balanced tree of merges: associativity and commutativity together.
        const folded = mergeAll(order) as Shape
        const tree = (list: Shape[]): Shape =>
          list.length === 1
            ? (list[0] as Shape)
            : mergeShapes(tree(list.slice(0, list.length >> 1)), tree(list.slice(list.length >> 1)))
        expect(shapeToJson(folded)).toBe(shapeToJson(base))
        expect(shapeToJson(tree(order))).toBe(shapeToJson(base))
        for (const v of ['3.1', '3.0'] as const) {
          expect(JSON.stringify(toJsonSchema(folded, { openapi: v }))).toBe(
            JSON.stringify(toJsonSchema(base, { openapi: v })),
          )
        }
      }
    },
  )
})
