import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, afterAll, describe, expect, test } from 'vitest'
import { DEFAULT_DIFF_OPTIONS, diff, matchEndpoints } from '../../src/diff/index.js'
import { loadSpec, type SpecModel } from '../../src/spec/index.js'
import { inventoryOf } from './traffic.js'

const SPEC = `openapi: 3.0.3
info: { title: M, version: '1' }
servers: [{ url: /api }, { url: /api/v2 }]
paths:
  /users/{id}: { get: { responses: { '200': { description: x } } } }
  /users/me: { get: { responses: { '200': { description: x } } } }
  /users/{id}/orders/{orderId}: { get: { responses: { '200': { description: x } } } }
  /users/{id}/orders/latest: { get: { responses: { '200': { description: x } } } }
  /a/{x}/b: { get: { responses: { '200': { description: x } } } }
  /a/b/{x}: { get: { responses: { '200': { description: x } } } }
  /files/{name}.json: { get: { responses: { '200': { description: x } } } }
  /things: { get: { responses: { '200': { description: x } } } }
  /v2/things: { get: { responses: { '200': { description: x } } } }
`

let dir: string
let spec: SpecModel
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'specter-match-'))
  writeFileSync(join(dir, 'spec.yaml'), SPEC)
  spec = await loadSpec(join(dir, 'spec.yaml'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('matchEndpoints', () => {
  test.each([
    ['GET', '/api/users/me', 'documented', '/users/me', '/api'],
    ['GET', '/api/users/42', 'documented', '/users/{id}', '/api'],
    ['GET', '/api/users/alice', 'documented', '/users/{id}', '/api'],
    ['GET', '/api/users/42/orders/latest', 'documented', '/users/{id}/orders/latest', '/api'],
    ['GET', '/api/users/42/orders/7', 'documented', '/users/{id}/orders/{orderId}', '/api'],
    ['GET', '/api/a/b/b', 'documented', '/a/b/{x}', '/api'],
    ['GET', '/api/a/c/b', 'documented', '/a/{x}/b', '/api'],
    ['GET', '/api/files/report.json', 'documented', '/files/{name}.json', '/api'],
    ['GET', '/api/files/report.xml', 'path-undocumented', undefined, '/api'],
    // The longer server prefix wins over a template that happens to start with the same words.
    ['GET', '/api/v2/things', 'documented', '/things', '/api/v2'],
    ['HEAD', '/api/users/42', 'documented', '/users/{id}', '/api'],
    ['DELETE', '/api/users/42', 'method-undocumented', undefined, '/api'],
    ['GET', '/users/42', 'path-undocumented', undefined, ''],
  ])('%s %s -> %s %s', (method, url, kind, template, prefix) => {
    const inventory = inventoryOf([{ method, url }])
    const [m] = matchEndpoints(inventory, spec, DEFAULT_DIFF_OPTIONS)
    expect(m?.kind).toBe(kind)
    expect(m?.operation?.template).toBe(template)
    expect(m?.prefix).toBe(prefix)
  })

  test("the store's overflow bucket is never reported as a shadow operation", () => {
    const calls = ['/api/users/1', '/api/a', '/api/b', '/api/c', '/api/d'].map((url) => ({ url }))
    const inventory = inventoryOf(calls, { limits: { maxEndpoints: 2 } })
    expect(inventory.endpoints.map((e) => e.pathKey)).toContain('/{other}')
    const result = diff({ inventory, spec, now: 0 })
    expect(result.matches.find((m) => m.endpoint.pathKey === '/{other}')?.overflow).toBe(true)
    expect(result.findings.map((f) => f.path)).not.toContain('/{other}')
  })

  test('an observed placeholder matches a documented literal only when that literal is all it ever held', async () => {
    writeFileSync(
      join(dir, 'lit.yaml'),
      "openapi: 3.0.3\ninfo: { title: L, version: '1' }\npaths:\n  /orders/2024: { get: { responses: { '200': { description: x } } } }\n",
    )
    const lit = await loadSpec(join(dir, 'lit.yaml'))
    const [other] = matchEndpoints(inventoryOf([{ url: '/orders/2025' }]), lit, DEFAULT_DIFF_OPTIONS)
    expect(other?.endpoint.pathKey).toBe('/orders/{int}')
    expect(other?.kind).toBe('path-undocumented')
    const [same] = matchEndpoints(inventoryOf([{ url: '/orders/2024', times: 3 }]), lit, DEFAULT_DIFF_OPTIONS)
    expect(same?.kind).toBe('documented')
    const [mixed] = matchEndpoints(
      inventoryOf([{ url: '/orders/2024' }, { url: '/orders/7' }]),
      lit,
      DEFAULT_DIFF_OPTIONS,
    )
    expect(mixed?.kind).toBe('path-undocumented')
  })
})
