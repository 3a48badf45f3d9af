import { describe, expect, test } from 'vitest'
import { buildOpenApi, type OpenApiDocument, toJson, toYaml } from '../../src/infer/index.js'
import type { Inventory } from '../../src/store/index.js'
import { type ExchangeSpec, inventoryOf } from './exchanges.js'
import { openApiErrors } from './openapi-validate.js'
import type { Doc } from './doc.js'

const user = (id: number, extra: Record<string, unknown> = {}) => ({
  id,
  name: `user ${id}`,
  email: `u${id}@example.com`,
  createdAt: '2024-01-02T03:04:05Z',
  ...extra,
})

const traffic: ExchangeSpec[] = [
  ...[1, 2, 3].map((id) => ({
    url: `/api/users/${id}`,
    headers: { authorization: 'Bearer secret-token-value', 'x-tenant-id': 't1', accept: 'application/json' },
    response: user(id),
  })),
  { url: '/api/users/4', status: 404, headers: { authorization: 'Bearer x' }, response: { error: 'not found' } },
  { url: '/api/users/me', headers: { authorization: 'Bearer x', 'x-tenant-id': 't1' }, response: user(9) },
  {
    url: '/api/users?limit=10&cursor=abc',
    headers: { authorization: 'Bearer x' },
    response: { data: [user(1), user(2)], next: null },
  },
  { url: '/api/users?limit=5', headers: { authorization: 'Bearer x' }, response: { data: [user(3)], next: 'n' } },
  {
    method: 'POST',
    url: '/api/users',
    headers: { authorization: 'Bearer x' },
    body: { name: 'new', email: 'n@example.com' },
    status: 201,
    response: user(10),
  },
  {
    method: 'POST',
    url: '/api/users',
    headers: { authorization: 'Bearer x' },
    body: { garbage: [1, 2, 3] },
    status: 400,
    response: { error: 'invalid body' },
  },
  { url: '/api/reports?api_key=k1', response: { ok: true, total: 3 } },
  { url: '/api/reports', headers: { 'x-api-key': 'k2' }, response: { ok: true, total: 4 } },
  { url: '/api/reports', headers: { cookie: 'sid=abc' }, response: { ok: false, total: 0 } },
  { method: 'DELETE', url: '/api/users/5', headers: { authorization: 'Basic dTpw' }, status: 204 },
]

let cached: Inventory | undefined
const inventory = () => {
  cached ??= inventoryOf(traffic)
  return cached
}

describe('buildOpenApi', () => {
  test.each(['3.1', '3.0'] as const)('OpenAPI %s output validates against the official schema', (v) => {
    const doc = buildOpenApi(inventory(), { openapi: v })
    expect(doc['openapi']).toBe(v === '3.1' ? '3.1.0' : '3.0.3')
    expect(openApiErrors(doc)).toEqual([])
  })

  test('templates, typed path parameters, literals next to parameters', () => {
    const doc = buildOpenApi(inventory()) as Doc
    expect(Object.keys(doc.paths)).toEqual(['/api/reports', '/api/users', '/api/users/me', '/api/users/{userId}'])
    const get = doc.paths['/api/users/{userId}'].get
    expect(get.parameters[0]).toEqual({ name: 'userId', in: 'path', required: true, schema: { type: 'integer' } })
  })

  test('query parameters: typed, required only when present in every request', () => {
    const doc = buildOpenApi(inventory()) as Doc
    const params = doc.paths['/api/users'].get.parameters
    expect(params).toEqual([
      { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'limit', in: 'query', required: true, schema: { type: 'integer' } },
    ])
  })

  test('notable request headers only: no standard headers, no credentials', () => {
    const doc = buildOpenApi(inventory()) as Doc
    const params = (doc.paths['/api/users/{userId}'].get.parameters as unknown as Doc[]).filter(
      (p) => p.in === 'header',
    )
    expect(params).toEqual([{ name: 'x-tenant-id', in: 'header', required: false, schema: { type: 'string' } }])
  })

  test('request bodies come from successful exchanges only', () => {
    const doc = buildOpenApi(inventory()) as Doc
    const body = doc.paths['/api/users'].post.requestBody
    expect(body.required).toBe(true)
    expect(Object.keys(body.content)).toEqual(['application/json'])
    expect(Object.keys(body.content['application/json'].schema.properties)).toEqual(['email', 'name'])
  })

  test('responses per status code and media type; no content for 204', () => {
    const doc = buildOpenApi(inventory()) as Doc
    expect(Object.keys(doc.paths['/api/users/{userId}'].get.responses)).toEqual(['200', '404'])
    expect(doc.paths['/api/users/{userId}'].delete.responses).toEqual({ '204': { description: 'No Content' } })
    expect(doc.paths['/api/users'].post.responses['400'].content['application/json'].schema.properties).toHaveProperty(
      'error',
    )
  })

  test('security schemes from credential facts, names only, referenced from operations', () => {
    const doc = buildOpenApi(inventory()) as Doc
    expect(doc.components.securitySchemes).toEqual({
      'apiKeyCookie.sid': { type: 'apiKey', in: 'cookie', name: 'sid' },
      'apiKeyHeader.x-api-key': { type: 'apiKey', in: 'header', name: 'x-api-key' },
      'apiKeyQuery.api_key': { type: 'apiKey', in: 'query', name: 'api_key' },
      basicAuth: { type: 'http', scheme: 'basic' },
      bearerAuth: { type: 'http', scheme: 'bearer' },
    })
    expect(doc.paths['/api/users/{userId}'].get.security).toEqual([{ bearerAuth: [] }])
    expect(doc.paths['/api/users/{userId}'].delete.security).toEqual([{ basicAuth: [] }])
    const reports = doc.paths['/api/reports'].get
    expect(reports.security).toEqual([
      { 'apiKeyCookie.sid': [] },
      { 'apiKeyHeader.x-api-key': [] },
      { 'apiKeyQuery.api_key': [] },
    ])
    // The API key travels as a credential, not as a documented query parameter.
    expect(reports.parameters ?? []).toEqual([])
    const text = toJson(doc)
    for (const secret of ['secret-token-value', 'dTpw', 'k1', 'k2', 'abc"']) expect(text).not.toContain(secret)
  })

  test('recurring object schemas become named components', () => {
    const doc = buildOpenApi(inventory()) as Doc
    const ref = doc.paths['/api/users/me'].get.responses['200'].content['application/json'].schema
    expect(ref).toEqual({ $ref: '#/components/schemas/User' })
    expect(doc.paths['/api/users/{userId}'].get.responses['200'].content['application/json'].schema).toEqual(ref)
    expect(doc.components.schemas.User.required).toEqual(['createdAt', 'email', 'id', 'name'])
  })

  test('x-specter: request count and first/last seen per operation', () => {
    const doc = buildOpenApi(inventory()) as Doc
    expect(doc.paths['/api/users/{userId}'].get['x-specter']).toEqual({
      requestCount: 4,
      firstSeen: '2026-01-01T00:00:00.000Z',
      lastSeen: '2026-01-01T00:00:03.000Z',
      template: 'inferred',
    })
    expect(doc['x-specter'].requestCount).toBe(traffic.length)
    expect(doc['x-specter']).not.toHaveProperty('generatedAt')
    const stamped = buildOpenApi(inventory(), { now: Date.UTC(2026, 5, 1) }) as Doc
    expect(stamped['x-specter'].generatedAt).toBe('2026-06-01T00:00:00.000Z')
  })

  test('deterministic: the same inventory in any order gives byte-identical YAML and JSON', () => {
    const a = buildOpenApi(inventory())
    const reversed: Inventory = {
      ...inventory(),
      endpoints: [...inventory().endpoints].reverse().map((e) => ({ ...e, exchanges: [...e.exchanges].reverse() })),
    }
    const b = buildOpenApi(reversed)
    expect(toYaml(b)).toBe(toYaml(a))
    expect(toJson(b)).toBe(toJson(a))
  })

  test('published templates and pins are used as given', () => {
    const doc = buildOpenApi(inventory(), {
      publishedTemplates: ['/api/users/{id}'],
      pins: { templates: ['/api/reports'] },
    }) as OpenApiDocument as Doc
    expect(Object.keys(doc.paths)).toContain('/api/users/{id}')
    expect(doc.paths['/api/users/{id}'].get['x-specter'].template).toBe('published')
    // The spec has no /api/users/me, so `me` is one more value of {id}: a string parameter.
    expect(doc.paths['/api/users/{id}'].get.parameters[0]).toEqual({
      name: 'id',
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })
    expect(doc.paths).not.toHaveProperty('/api/users/me')
    expect(doc.paths['/api/reports'].get['x-specter'].template).toBe('pinned')
  })

  test("the store's overflow buckets are counted, not described", () => {
    const inv = inventory()
    const first = inv.endpoints[0] as Inventory['endpoints'][number]
    const overflowing: Inventory = {
      ...inv,
      endpoints: [
        ...inv.endpoints,
        { ...first, pathKey: '/{other}' },
        { ...first, method: 'PROPFIND', pathKey: '/dav' },
        {
          ...first,
          pathKey: '/api/odd',
          exchanges: first.exchanges.map((x) => ({ ...x, responseContentType: '{other}' })),
        },
      ],
    }
    const doc = buildOpenApi(overflowing) as Doc
    expect(openApiErrors(doc)).toEqual([])
    expect(doc['x-specter'].undescribedEndpoints).toBe(2)
    expect(Object.keys(doc.paths)).not.toContain('/{id}')
    expect(doc.paths['/api/odd'].get.responses['200']).toEqual({ description: 'OK' })
  })

  test('paths that only ever answered 404 are no operations; 401, 403, 405 and mixed 404 + 2xx are', () => {
    const doc = buildOpenApi(
      inventoryOf([
        { url: '/admin/login', status: 404, response: { error: 'not found' } },
        { url: '/actuator/health', status: 404 },
        { url: '/debug/pprof', status: 404 },
        { url: '/debug/pprof', status: 404 },
        { url: '/internal/flags', status: 401 },
        { url: '/internal/keys', status: 403 },
        { method: 'DELETE', url: '/orders', status: 405 },
        { url: '/orders/7', status: 404 },
        { url: '/orders/8', response: { id: 8 } },
      ]),
    ) as Doc
    expect(openApiErrors(doc)).toEqual([])
    expect(Object.keys(doc.paths).sort()).toEqual(['/internal/flags', '/internal/keys', '/orders', '/orders/{orderId}'])
    expect(doc['x-specter'].notFoundEndpoints).toBe(3)
    expect(doc['x-specter'].operations).toBe(4)
  })

  test('an empty inventory is still a valid document', () => {
    const doc = buildOpenApi({ endpoints: [], overflow: {} })
    expect(openApiErrors(doc)).toEqual([])
    expect(doc['paths']).toEqual({})
  })
})
