import { expect, test } from 'vitest'
import { buildOpenApi } from '../../src/infer/index.js'
import { compareSpecs } from '../../src/report/index.js'
import { loadSpec } from '../../src/spec/index.js'
import { inventoryOf } from '../diff/traffic.js'
import { writeSpec } from './fixture.js'

const SPEC_31 = `openapi: 3.1.0
info: { title: Pets, version: '1' }
servers: [{ url: /api }]
paths:
  /pets/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      responses:
        '200':
          description: a pet
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: { type: integer }
                  name: { type: [string, 'null'] }
  /pets/{id}/photos:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      responses:
        '200': { description: photos }
`

test('a 3.1 spec is converted down for openapi-diff and the comparison is classified', async () => {
  const spec = await loadSpec(writeSpec(SPEC_31))
  const inventory = inventoryOf([
    { url: '/api/pets/1', responseBody: { id: 1, name: 'rex' } },
    { url: '/api/pets/2', responseBody: { id: 2, name: null } },
    { url: '/api/stores/1', responseBody: { id: 1 } },
  ])
  const inferred = buildOpenApi(inventory, {
    openapi: '3.0',
    publishedTemplates: ['/api/pets/{id}', '/api/pets/{id}/photos'],
  })
  const result = await compareSpecs(spec, inferred)
  expect(result.notes.join(' ')).toMatch(/converted to 3\.0/)
  expect(result.notes.join(' ')).toMatch(/prefix \/api was folded/)
  // The documented-but-unobserved path is gone from the observed API: breaking for its clients.
  expect(result.breaking).toContainEqual(
    expect.objectContaining({ code: 'path.remove', publishedLocation: 'paths./api/pets/{id}/photos' }),
  )
  // The observed-but-undocumented path is an addition.
  expect(result.nonBreaking.map((d) => d.code)).toContain('path.add')
})
