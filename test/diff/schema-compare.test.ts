import { describe, expect, test } from 'vitest'
import { compareShape } from '../../src/diff/index.js'
import { mergeShapes, shapeOf } from '../../src/infer/index.js'

const shapes = (...values: unknown[]) => values.map((v) => shapeOf(v)).reduce((a, b) => mergeShapes(a, b))
const issues = (values: unknown[], schema: Record<string, unknown>, checkTypes = true) =>
  compareShape(shapes(...values), schema, { checkTypes, maxIssues: 50 }).map(
    (i) => `${i.kind} ${i.bodyPath} ${i.observed} / ${i.documented} x${i.count}`,
  )

const base = { type: 'object', properties: { id: { type: 'integer' } }, additionalProperties: false }

describe('compareShape', () => {
  test.each([
    ['matching value', [{ id: 1 }], base, []],
    ['integer fits number', [{ n: 1 }, { n: 1.5 }], { type: 'object', properties: { n: { type: 'number' } } }, []],
    [
      'fractions do not fit integer (counted without the integers)',
      [{ id: 1 }, { id: 1.5 }],
      base,
      ['type-mismatch id number / integer x1'],
    ],
    ['3.0 nullable', [{ s: null }], { properties: { s: { type: 'string', nullable: true } } }, []],
    ['2.0 x-nullable', [{ s: null }], { properties: { s: { type: 'string', 'x-nullable': true } } }, []],
    ['3.1 type array', [{ s: null }], { properties: { s: { type: ['string', 'null'] } } }, []],
    [
      'null without nullable',
      [{ s: null }],
      { properties: { s: { type: 'string' } } },
      ['type-mismatch s null / string x1'],
    ],
    [
      'allOf extends a closed base: its properties are documented, others are not',
      [{ id: 1, name: 'a', extra: true }],
      { allOf: [base, { properties: { name: { type: 'string' } } }] },
      ['undocumented-property extra boolean / not documented x1'],
    ],
    [
      'oneOf: a property of any branch is documented; required only when every branch requires it',
      [
        { kind: 'cat', meow: true },
        { kind: 'dog', bark: true },
      ],
      {
        oneOf: [
          {
            type: 'object',
            required: ['kind', 'meow'],
            properties: { kind: { type: 'string' }, meow: { type: 'boolean' } },
          },
          {
            type: 'object',
            required: ['kind', 'bark'],
            properties: { kind: { type: 'string' }, bark: { type: 'boolean' } },
          },
        ],
      },
      [],
    ],
    [
      'required property missing in some objects',
      [{ id: 1 }, {}, {}],
      { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
      ['missing-required id absent from 2 of 3 bodies / required x2'],
    ],
    ['free-form object', [{ anything: 1 }], { type: 'object' }, []],
    [
      'additionalProperties schema (a map)',
      [{ a: 1, b: 'x' }],
      { type: 'object', additionalProperties: { type: 'integer' } },
      ['type-mismatch b string / integer x1'],
    ],
    [
      'array items',
      [[1, 'a']],
      { type: 'array', items: { type: 'integer' } },
      ['type-mismatch [] integer|string / integer x1'],
    ],
    [
      'form bodies: names only',
      [{ age: 'x', extra: 'y' }],
      { properties: { age: { type: 'integer' } } },
      ['undocumented-property extra string / not documented x1'],
      false,
    ],
  ] as const)('%s', (_name, values, schema, expected, ...rest: readonly boolean[]) => {
    expect(issues([...values], schema as Record<string, unknown>, rest[0] ?? true)).toEqual(expected)
  })

  test('a recursive schema is walked as deep as the observed value, no further', () => {
    const node: Record<string, unknown> = { type: 'object', properties: { id: { type: 'integer' } } }
    ;(node['properties'] as Record<string, unknown>)['child'] = node
    expect(issues([{ id: 1, child: { id: 2, child: { id: 'x', child: null } } }], node)).toEqual([
      'type-mismatch child.child.child null / object x1',
      'type-mismatch child.child.id string / integer x1',
    ])
  })
})
