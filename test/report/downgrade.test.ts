import { describe, expect, test } from 'vitest'
import { downgradeTo30 } from '../../src/report/index.js'

describe('downgradeTo30', () => {
  test('turns 3.1 schema idioms into their 3.0 equivalents', () => {
    const doc = downgradeTo30({
      openapi: '3.1.0',
      info: { title: 't', version: '1', summary: 's', license: { name: 'MIT', identifier: 'MIT' } },
      webhooks: {},
      paths: {},
      components: {
        schemas: {
          A: { type: ['string', 'null'], const: 'x', examples: ['x'] },
          B: { type: ['integer', 'string'], exclusiveMinimum: 0 },
        },
      },
    })
    expect(doc).toEqual({
      openapi: '3.0.3',
      info: { title: 't', version: '1', license: { name: 'MIT' } },
      paths: {},
      components: {
        schemas: {
          A: { type: 'string', nullable: true, enum: ['x'], example: 'x' },
          B: { anyOf: [{ type: 'integer' }, { type: 'string' }], minimum: 0, exclusiveMinimum: true },
        },
      },
    })
  })
})
