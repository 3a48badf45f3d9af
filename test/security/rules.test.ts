import { describe, expect, test } from 'vitest'
import { diff, type Finding } from '../../src/diff/index.js'
import { type EnumerationEvent, rankRisks, securityRules } from '../../src/security/index.js'
import { BASE_MS, type Call, inventoryOf, specOf } from './traffic.js'

const JWT =
  'eyJhbGciOiAiUlMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiNDIiLCAiZXhwIjogMTkwMDAwMDAwMH0.eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHg'
const BCRYPT = '$2b$12$KIXQJQ0s9JH5u0uU5d0y6eZ4r8m5i8kTt5b5R8y6Rk5tQ1Jm2p7hO'
const BEARER = { authorization: 'Bearer s3cr3t-token-value-0001' }

const SPEC = `
openapi: 3.0.3
info: { title: Accounts, version: '1' }
components:
  securitySchemes:
    bearer: { type: http, scheme: bearer }
security: [ { bearer: [] } ]
paths:
  /accounts/{id}:
    get:
      parameters: [ { name: id, in: path, required: true, schema: { type: integer } } ]
      responses:
        '200':
          description: an account
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: { type: integer }
                  email: { type: string }
                  name: { type: string }
  /accounts/export:
    get:
      responses: { '200': { description: all accounts } }
  /health:
    get:
      security: []
      responses: { '200': { description: ok } }
`

// Field names the capture's secret-name guard does not catch (it tags `card`, `ssn`, `password*`
// fields 'secret' before the classifier runs), so the value classifier decides.
function account(i: number) {
  return { id: i, email: `user${i}@example.com`, name: `User ${i}`, payment: { number: '4111 1111 1111 1111' } }
}

// The same API in a spec that declares no security at all: only the traffic can tell what is guarded.
const SPEC_WITHOUT_SECURITY = SPEC.replace('security: [ { bearer: [] } ]\n', '')

async function run(calls: Call[], facts: Record<string, unknown> = {}, specText = SPEC): Promise<Finding[]> {
  const inventory = inventoryOf(calls)
  const spec = await specOf(specText)
  return diff({ inventory, spec, now: BASE_MS + 3_600_000, rules: securityRules, facts }).findings
}

const byRule = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule)

describe('sensitive-data-in-response', () => {
  test('reports planted personal data per field, higher for undocumented fields and regulated data', async () => {
    const calls: Call[] = Array.from({ length: 20 }, (_, i) => ({
      url: `/accounts/${i + 1}`,
      requestHeaders: BEARER,
      responseBody: account(i + 1),
    }))
    const found = byRule(await run(calls), 'sensitive-data-in-response')
    expect(found.map((f) => [f.path, f.pointer, f.severity, f.evidence.details?.['categories']])).toEqual([
      [
        '/accounts/{id}',
        '/responses/200/content/application~1json/schema/properties/payment/properties/number',
        'high',
        'payment-card',
      ],
      ['/accounts/{id}', '/responses/200/content/application~1json/schema/properties/email', 'low', 'email'],
    ])
    expect(found[0]?.evidence.details?.['undocumentedField']).toBe(true)
    expect(found[1]?.evidence.count).toBe(20)
  })

  test('look-alikes (order numbers, UUIDs, timestamps, versions) make no finding', async () => {
    const calls: Call[] = Array.from({ length: 10 }, (_, i) => ({
      url: `/orders/${i + 1}`,
      requestHeaders: BEARER,
      responseBody: {
        orderNumber: '9000000000000019',
        ref: '4111111111111112',
        uuid: '550e8400-e29b-41d4-a716-446655440000',
        createdAt: '2024-01-15T10:30:00Z',
        epochMs: '1700000000000',
        version: '10.0.0.1',
        sku: 'ORD-2024-000123',
        digits: '8273649182736491',
      },
    }))
    const findings = await run(calls)
    expect(byRule(findings, 'sensitive-data-in-response')).toEqual([])
    expect(byRule(findings, 'secret-in-response')).toEqual([])
  })

  test('undocumented and unauthenticated raise the severity', async () => {
    const calls: Call[] = [{ url: '/internal/customers', responseBody: [{ email: 'a@example.com' }], times: 5 }]
    const [f] = byRule(await run(calls), 'sensitive-data-in-response')
    expect(f).toMatchObject({
      severity: 'high',
      pointer: '/responses/200/content/application~1json/schema/items/properties/email',
    })
    expect(f?.evidence.details).toMatchObject({ unauthenticated: true, undocumentedOperation: true })
  })
})

describe('classifier before the capture name guard', () => {
  test('fields named card, ssn and password get their own category, not just secret', async () => {
    const calls: Call[] = [
      {
        url: '/internal/users/1',
        requestHeaders: BEARER,
        responseBody: { card: '4111 1111 1111 1111', ssn: '219-45-1234', password: 'hunter22' },
        times: 3,
      },
    ]
    const findings = await run(calls)
    expect(findings.map((f) => [f.rule, f.evidence.details?.['categories']])).toEqual([
      ['secret-in-response', 'password'],
      ['sensitive-data-in-response', 'payment-card'],
      ['sensitive-data-in-response', 'us-ssn'],
    ])
  })
})

describe('secret-in-response', () => {
  test('reports keys and password hashes, not tokens from a token endpoint', async () => {
    const calls: Call[] = [
      {
        url: '/debug/config',
        requestHeaders: BEARER,
        responseBody: { aws: 'AKIAIOSFODNN7EXAMPLE', admin: { hash: BCRYPT }, motd: 'hello' },
      },
      {
        method: 'POST',
        url: '/oauth/token',
        responseBody: { access_token: JWT, token_type: 'Bearer', expires_in: 3600 },
      },
      { url: '/users/me', requestHeaders: BEARER, responseBody: { name: 'Ada', session_token: 'abcdef0123456789' } },
    ]
    const found = byRule(await run(calls), 'secret-in-response')
    expect(found.map((f) => [f.method, f.path, f.evidence.details?.['bodyPath'], f.severity])).toEqual([
      ['GET', '/debug/config', 'admin.hash', 'critical'],
      ['GET', '/debug/config', 'aws', 'critical'],
      ['GET', '/users/me', 'session_token', 'high'],
    ])
  })
})

describe('credentials-in-query', () => {
  test('names the credential parameter, never its value', async () => {
    const calls: Call[] = [
      { url: '/search?q=shoes&api_key=k-123456789abc&page=2', requestHeaders: {}, responseBody: [] },
    ]
    const found = byRule(await run(calls), 'credentials-in-query')
    expect(found.map((f) => f.pointer)).toEqual(['/parameters/query/api_key'])
    expect(JSON.stringify(found)).not.toContain('k-123456789abc')
  })
})

describe('unauthenticated-operation and security-requirement-contradicted', () => {
  const calls: Call[] = [
    ...Array.from({ length: 10 }, (_, i) => ({
      url: `/accounts/${i + 1}`,
      requestHeaders: BEARER,
      responseBody: { id: i + 1 },
    })),
    { url: '/accounts/export', responseBody: { count: 3 }, times: 3 },
    { url: '/health', responseBody: { ok: true }, times: 3 },
  ]

  test('a spec without security: flags the open sibling of guarded operations, not the health check', async () => {
    const findings = await run(calls, {}, SPEC_WITHOUT_SECURITY)
    const open = byRule(findings, 'unauthenticated-operation')
    expect(open.map((f) => [f.path, f.severity, f.evidence.count])).toEqual([['/accounts/export', 'medium', 3]])
    expect(open[0]?.evidence.details?.['siblingsRequiringCredentials']).toBe(1)
    expect(byRule(findings, 'security-requirement-contradicted')).toEqual([])
  })

  test('a documented operation the spec guards answering without credentials: contradicted, said once', async () => {
    const findings = await run(calls)
    expect(byRule(findings, 'unauthenticated-operation')).toEqual([])
    const contradicted = byRule(findings, 'security-requirement-contradicted')
    expect(contradicted.map((f) => [f.path, f.evidence.documented])).toEqual([['/accounts/export', 'bearer']])
  })

  test("undocumented operations answering without credentials under the spec's global security", async () => {
    const findings = await run([
      ...calls,
      // No authenticated sibling anywhere under /internal: only the spec says these need credentials.
      { url: '/internal/config', responseBody: { featureFlags: { beta: true } }, times: 4 },
      { method: 'POST', url: '/internal/cache/flush', status: 204, times: 2 },
      { url: '/internal/status', responseBody: { ok: true }, times: 2 },
      { method: 'OPTIONS', url: '/internal/config', status: 204 },
    ])
    const open = byRule(findings, 'unauthenticated-operation')
    expect(open.map((f) => [f.method, f.path, f.severity, f.evidence.count, f.evidence.documented])).toEqual([
      ['POST', '/internal/cache/flush', 'high', 2, 'global security: bearer'],
      ['GET', '/internal/config', 'high', 4, 'global security: bearer'],
    ])
    expect(open[1]?.title).toBe(
      "GET /internal/config answered 4 of 4 successful requests without credentials (the spec's global security requires bearer)",
    )
    expect(open[1]?.evidence.details).toMatchObject({ specRequires: 'bearer', adminLike: true })
  })

  test('a spec declaring everything public (security: []) is taken at its word', async () => {
    const open = SPEC.replace('security: [ { bearer: [] } ]', 'security: []')
    const findings = await run([...calls, { url: '/internal/config', responseBody: { a: 1 }, times: 4 }], {}, open)
    expect(byRule(findings, 'unauthenticated-operation')).toEqual([])
  })
})

describe('unauthenticated-operation noise', () => {
  test('a public read next to authenticated writes is by design', async () => {
    const calls: Call[] = [
      { url: '/products', responseBody: [{ id: 1, title: 'Lamp' }], times: 10 },
      { method: 'POST', url: '/products/reviews', requestHeaders: BEARER, responseBody: { ok: true }, times: 10 },
      { method: 'DELETE', url: '/products/drafts', requestHeaders: BEARER, responseBody: { ok: true }, times: 10 },
    ]
    expect(byRule(await run(calls, {}, SPEC_WITHOUT_SECURITY), 'unauthenticated-operation')).toEqual([])
  })

  test("fields the capture's broad name guard tags 'secret' (author, cardinality) are not secrets", async () => {
    const calls: Call[] = [{ url: '/posts', responseBody: [{ author: 'Ada Lovelace', cardinality: 'many' }], times: 5 }]
    const findings = await run(calls, {}, SPEC_WITHOUT_SECURITY)
    expect(findings).toEqual([])
  })

  test('an open write next to guarded writes is reported', async () => {
    const calls: Call[] = [
      { method: 'POST', url: '/products/reviews', requestHeaders: BEARER, responseBody: { ok: true }, times: 10 },
      { method: 'DELETE', url: '/products/drafts', responseBody: { ok: true }, times: 2 },
    ]
    const found = byRule(await run(calls, {}, SPEC_WITHOUT_SECURITY), 'unauthenticated-operation')
    expect(found.map((f) => [f.method, f.path])).toEqual([['DELETE', '/products/drafts']])
  })
})

describe('guessable-identifier', () => {
  test('sequential integer ids are guessable, random 15-digit ids are not', async () => {
    const random = [
      739201846201734, 102938475610293, 564738291029384, 918273645546372, 283746519283746, 650192837465019,
    ]
    const calls: Call[] = [
      ...Array.from({ length: 20 }, (_, i) => ({
        url: `/accounts/${i + 1}`,
        requestHeaders: BEARER,
        responseBody: { id: i + 1 },
      })),
      ...random.map((id) => ({ url: `/items/${id}`, requestHeaders: BEARER, responseBody: { id } })),
    ]
    const found = byRule(await run(calls), 'guessable-identifier')
    expect(found.map((f) => [f.path, f.pointer, f.evidence.details?.['reason']])).toEqual([
      ['/accounts/{id}', '/parameters/path/id', 'sequential'],
    ])
  })

  test('on an undocumented path the parameter reads by its inferred name; the pointer keeps its position', async () => {
    const calls: Call[] = Array.from({ length: 20 }, (_, i) => ({
      url: `/exports/${i + 1}`,
      requestHeaders: BEARER,
      responseBody: { id: i + 1 },
    }))
    const [found] = byRule(await run(calls), 'guessable-identifier')
    expect(found).toMatchObject({
      path: '/exports/{exportId}',
      pointer: '/parameters/path/segment2',
      title: expect.stringMatching(/^path parameter exportId is a sequential integer id/),
      evidence: { details: { parameter: 'exportId' } },
    })
  })
})

describe('guessable-identifier in the query', () => {
  test('an integer *_id query parameter is reported at info level (only its type is known)', async () => {
    const calls: Call[] = [
      { url: '/orders?customer_id=17&limit=10', requestHeaders: BEARER, responseBody: [{ id: 1 }], times: 3 },
      { url: '/invoices?invoice_id=INV-2024-abc', requestHeaders: BEARER, responseBody: [{ id: 1 }], times: 3 },
    ]
    const found = byRule(await run(calls), 'guessable-identifier')
    expect(found.map((f) => [f.severity, f.pointer])).toEqual([['info', '/parameters/query/customer_id']])
  })
})

describe('object-enumeration', () => {
  test('one finding per operation, naming the top client by its key hash', async () => {
    const event = (clientKey: string, maxDistinct: number): EnumerationEvent => ({
      clientKey,
      method: 'GET',
      pathKey: '/accounts/{int}',
      maxDistinct,
      windowMs: 3_600_000,
      peers: 3,
      peerMedian: 5,
      limit: 50,
      reason: 'peers',
      firstSeenMs: BASE_MS,
      lastSeenMs: BASE_MS + 1000,
      hits: 2,
    })
    const calls: Call[] = [{ url: '/accounts/1', requestHeaders: BEARER, responseBody: { id: 1 } }]
    const found = byRule(
      await run(calls, { security: { enumeration: [event('aaaa000011112222', 120), event('bbbb000011112222', 480)] } }),
      'object-enumeration',
    )
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({ method: 'GET', path: '/accounts/{id}', severity: 'high' })
    expect(found[0]?.evidence.details).toMatchObject({ client: 'bbbb000011112222', distinct: 480, clients: 2 })
    expect(byRule(await run(calls), 'object-enumeration')).toEqual([])
  })

  test('says how long the client actually took, and what its limit is, in words', async () => {
    const event: EnumerationEvent = {
      clientKey: 'c67db54de083dacd',
      method: 'GET',
      pathKey: '/accounts/{int}',
      maxDistinct: 177,
      windowMs: 3_600_000,
      peers: 3,
      peerMedian: 4,
      limit: 50,
      reason: 'peers',
      // Four seconds of traffic, not the hour the window could hold.
      firstSeenMs: BASE_MS,
      lastSeenMs: BASE_MS + 4_200,
      hits: 1,
    }
    const calls: Call[] = [{ url: '/accounts/1', requestHeaders: BEARER, responseBody: { id: 1 } }]
    const [f] = byRule(await run(calls, { security: { enumeration: [event] } }), 'object-enumeration')
    expect(f?.title).toBe(
      "client c67db54de083dacd read 177 distinct objects of GET /accounts/{id} within 4 s (peers' median 4)",
    )
    expect(f?.evidence.observed).toBe(
      "177 distinct objects within 4 s (windows of 1 h), above the limit of 50 drawn from 3 other clients' reads (median 4)",
    )
    expect(f?.evidence.documented).toBeUndefined()
    const [long] = byRule(
      await run(calls, {
        security: { enumeration: [{ ...event, reason: 'threshold', limit: 1000, lastSeenMs: BASE_MS + 86_400_000 }] },
      }),
      'object-enumeration',
    )
    expect(long?.evidence.observed).toBe(
      '177 distinct objects within 1 h (windows of 1 h), above the absolute limit of 1000 (security.enumeration.maxDistinct)',
    )
  })
})

describe('rankRisks', () => {
  test('ranks the open, undocumented, sensitive admin operation first with its components', async () => {
    const inventory = inventoryOf([
      ...Array.from({ length: 10 }, (_, i) => ({
        url: `/accounts/${i + 1}`,
        requestHeaders: BEARER,
        responseBody: { id: i + 1, name: 'x' },
      })),
      { url: '/admin/users', responseBody: [{ email: 'root@example.com', password_hash: BCRYPT }], times: 2 },
    ])
    const result = diff({ inventory, spec: await specOf(SPEC), now: BASE_MS, rules: securityRules })
    const ranked = rankRisks(result)
    expect(ranked[0]?.path).toBe('/admin/users')
    expect(ranked[0]?.components.map((c) => c.factor)).toEqual([
      'secrets-exposed',
      'undocumented',
      'unauthenticated',
      'admin-path',
      'exposure',
    ])
    expect(ranked[0]?.score).toBe(100)
    for (const r of ranked) {
      expect(r.score).toBe(
        Math.min(
          100,
          r.components.reduce((s, c) => s + c.points, 0),
        ),
      )
    }
    const accounts = ranked.find((r) => r.path === '/accounts/{id}')
    expect(accounts?.components.map((c) => c.factor)).toEqual(['guessable-ids'])
  })
})
