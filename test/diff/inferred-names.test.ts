// Undocumented operations are named as `specter infer` names them: the finding's path is the path
// the inferred OpenAPI document (infer's buildOpenApi, with the published templates) lists, and
// the observed path keys stay beside it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { diff } from '../../src/diff/index.js'
import { buildOpenApi } from '../../src/infer/index.js'
import { loadSpec, type SpecModel } from '../../src/spec/index.js'
// The security helper: its capture classifies values, so personal data is tagged as in production.
import { BASE_MS, type Call, inventoryOf } from '../security/traffic.js'

const SPEC = `openapi: 3.0.3
info: { title: Shop, version: '1' }
servers: [{ url: /api }]
paths:
  /users/{id}: { get: { responses: { '200': { description: x } } } }
  /orders: { get: { responses: { '200': { description: x } } } }
`

const CALLS: Call[] = [
  { url: '/api/users/1', times: 3 },
  { url: '/api/orders' },
  // an admin back-office (a shadow service) with an id per user and per audit entry
  { url: '/api/admin/users/42', responseBody: { id: 42, email: 'ada@example.com' }, times: 2 },
  { url: '/api/admin/users/43', responseBody: { id: 43, email: 'bob@example.com' } },
  { method: 'POST', url: '/api/admin/users/42/ban', status: 204 },
  { url: '/api/admin/audit/3f2b6a8e-9c1d-4e5f-8a7b-1c2d3e4f5a6b' },
  // one undocumented operation seen with an integer and with a uuid: one operation, one finding
  { url: '/api/exports/7/download' },
  { url: '/api/exports/3f2b6a8e-9c1d-4e5f-8a7b-1c2d3e4f5a6b/download' },
  // a method the documented path does not have: named by the documented template
  { method: 'DELETE', url: '/api/users/9', status: 204 },
]

let dir: string
let spec: SpecModel
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'specter-names-'))
  writeFileSync(join(dir, 'spec.yaml'), SPEC)
  spec = await loadSpec(join(dir, 'spec.yaml'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('shadow operations carry the inferred template, as the inferred document names them', () => {
  const inventory = inventoryOf(CALLS)
  const { findings } = diff({ inventory, spec, now: BASE_MS })
  const named = (rule: string) => findings.filter((f) => f.rule === rule).map((f) => `${f.method} ${f.path}`)

  expect(named('shadow-operation')).toEqual(['GET /api/exports/{exportId}/download', 'DELETE /users/{id}'].sort())
  const service = findings.find((f) => f.rule === 'shadow-service')
  expect(service?.path).toBe('/api/admin')
  expect(service?.operations).toEqual([
    'GET /api/admin/audit/{auditId}',
    'GET /api/admin/users/{userId}',
    'POST /api/admin/users/{userId}/ban',
  ])
  const exports = findings.find((f) => f.path === '/api/exports/{exportId}/download')
  expect(exports).toMatchObject({
    title: 'GET /api/exports/{exportId}/download is not documented',
    evidence: { count: 2, unit: 'requests' },
    pathKeys: ['/api/exports/{int}/download', '/api/exports/{uuid}/download'],
  })
  // Security findings on the undocumented operations name them the same way.
  const pii = findings.filter((f) => f.rule === 'sensitive-data-in-response')
  expect(pii.map((f) => `${f.method} ${f.path}`)).toEqual(['GET /api/admin/users/{userId}'])
  expect(pii[0]?.pathKeys).toEqual(['/api/admin/users/{int}'])
  // Documented names are the spec's, with no observed keys beside them.
  expect(findings.find((f) => f.path === '/users/{id}')?.pathKeys).toBeUndefined()

  // The names are those of the document `specter infer --spec` writes from the same store.
  const published = spec.operations.flatMap((op) => op.prefixes.map((p) => `${p}${op.template}`))
  const document = buildOpenApi(inventory, { publishedTemplates: published })
  const paths = document['paths'] as Record<string, Record<string, unknown>>
  const inferredOperations = findings
    .filter((f) => f.pathKeys !== undefined)
    .flatMap((f) => [`${f.method} ${f.path}`])
    .concat(service?.operations ?? [])
  expect(inferredOperations.length).toBeGreaterThan(3)
  for (const op of inferredOperations) {
    const [method, path] = op.split(' ') as [string, string]
    expect(Object.keys(paths[path] ?? {}), op).toContain(method.toLowerCase())
  }
})

test('configured pins name undocumented paths as they name them for specter infer', () => {
  const inventory = inventoryOf([{ url: '/api/exports/7/download' }])
  const pins = { templates: ['/api/exports/{exportNumber}/download'] }
  const { findings } = diff({ inventory, spec, now: BASE_MS, pins })
  expect(findings.map((f) => f.path)).toEqual(['/api/exports/{exportNumber}/download'])
})
