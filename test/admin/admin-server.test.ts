import { Registry } from 'prom-client'
import { parse as parseYaml } from 'yaml'
import { describe, expect, onTestFinished, test } from 'vitest'
import {
  type AdminServerOptions,
  type AdminSources,
  type FindingFilter,
  type FindingsSource,
  isLoopbackHost,
  type StoredFinding,
  startAdminServer,
  tokenMatches,
} from '../../src/admin/index.js'
import { createMetrics } from '../../src/metrics/index.js'

const TOKEN = 'correct-horse-battery-staple'

function finding(id: number, rule: string, severity: StoredFinding['severity']): StoredFinding {
  return {
    id,
    acknowledged: false,
    rule,
    severity,
    method: 'GET',
    path: `/things/${id}`,
    pointer: '',
    title: `${rule} on /things/${id}`,
    why: 'because',
    evidence: { count: 1, firstSeenMs: 1, lastSeenMs: 2 },
  }
}

/** An in-memory findings store with the same filter semantics the admin API promises. */
function memoryFindings(items: StoredFinding[]): FindingsSource & { calls: FindingFilter[] } {
  const calls: FindingFilter[] = []
  return {
    calls,
    list: (filter) => {
      calls.push(filter)
      return items.filter(
        (f) =>
          (filter.rule === undefined || f.rule === filter.rule) &&
          (filter.severity === undefined || f.severity === filter.severity) &&
          (filter.acknowledged === undefined || f.acknowledged === filter.acknowledged),
      )
    },
    acknowledge: (id) => {
      const f = items.find((x) => x.id === id)
      if (f === undefined) return false
      f.acknowledged = true
      return true
    },
  }
}

async function start(options: Partial<AdminServerOptions> = {}, sources: AdminSources = {}) {
  const registry = new Registry()
  const metrics = createMetrics(registry, { processMetrics: false })
  const errors: unknown[] = []
  const server = await startAdminServer({
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    metricsRequireToken: false,
    registry,
    sources,
    onError: (err) => errors.push(err),
    ...options,
  })
  onTestFinished(() => server.close())
  const get = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init)
  const auth = { authorization: `Bearer ${TOKEN}` }
  return { server, metrics, registry, get, auth, errors }
}

async function expectCoded(res: Response, status: number, code: string) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  const body = (await res.json()) as { code: string; message: string; statusCode: number }
  expect(body.code).toBe(code)
  expect(body.statusCode).toBe(status)
  expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(ts|js):\d+/)
  return body
}

describe('health and metrics', () => {
  test('/healthz answers without a token, GET and HEAD', async () => {
    const { get } = await start()
    const res = await get('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
    expect((await get('/healthz', { method: 'HEAD' })).status).toBe(200)
  })

  test('/readyz follows the readiness source, failing closed when it throws', async () => {
    let ready = false
    const { get, server, errors } = await start({}, { ready: () => ready })
    expect((await get('/readyz')).status).toBe(503)
    ready = true
    expect((await get('/readyz')).status).toBe(200)
    server.setSources({
      ready: () => {
        throw new Error('store closed')
      },
    })
    const res = await get('/readyz')
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ status: 'not-ready' })
    expect(errors).toHaveLength(1)
  })

  test('/metrics serves the registry without a token by default', async () => {
    const { get, metrics } = await start()
    metrics.onExchangeEnd(
      {
        method: 'GET',
        url: '/users/7',
        status: 200,
        outcome: 'ok',
        requestBody: { totalBytes: 0 },
        responseBody: { totalBytes: 5 },
      },
      { upstreamMs: 4, addedMs: 0.2 },
    )
    const res = await get('/metrics')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    expect(await res.text()).toContain(
      'specter_http_requests_total{method="GET",route="/users/{int}",status_class="2xx"} 1',
    )
  })

  test('/metrics requires the token when admin.metricsRequireToken is set', async () => {
    const { get, auth } = await start({ metricsRequireToken: true })
    await expectCoded(await get('/metrics'), 401, 'SPECTER_ERR_UNAUTHORIZED')
    expect((await get('/metrics', { headers: auth })).status).toBe(200)
  })
})

describe('token auth', () => {
  test.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer nope' }],
    ['a longer wrong token', { authorization: `Bearer ${TOKEN}x` }],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, 5)}` }],
    ['the token under Basic', { authorization: `Basic ${TOKEN}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('refuses %s with a coded 401 that never echoes the token', async (_what, headers) => {
    const { get } = await start({}, { operations: () => [] })
    for (const path of ['/api/operations', '/api/findings', '/api/openapi.json', '/report', '/api/nope']) {
      const res = await get(path, { headers })
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="specter-admin"')
      const body = await expectCoded(res, 401, 'SPECTER_ERR_UNAUTHORIZED')
      expect(JSON.stringify(body)).not.toContain(TOKEN.slice(0, 5))
    }
    const ack = await get('/api/findings/1/ack', { method: 'POST', headers })
    await expectCoded(ack, 401, 'SPECTER_ERR_UNAUTHORIZED')
  })

  test('without a configured token the API is open on loopback', async () => {
    const { get } = await start({ token: '' }, { operations: () => [] })
    expect((await get('/api/operations')).status).toBe(200)
  })

  test('token comparison and loopback detection', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true)
    expect(tokenMatches(undefined, TOKEN)).toBe(false)
    expect(tokenMatches('', '')).toBe(false)
    expect(tokenMatches('x', '')).toBe(false)
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host)).toBe(true)
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.1', 'example.com', '128.0.0.1']) {
      expect(isLoopbackHost(host)).toBe(false)
    }
  })
})

describe('admin API', () => {
  test('GET /api/operations lists the inventory', async () => {
    const operations = [
      { method: 'GET', path: '/users/{id}', documented: true, count: 3, firstSeenMs: 10, lastSeenMs: 20 },
      { method: 'DELETE', path: '/admin/users/{int}', documented: false, count: 1, firstSeenMs: 15, lastSeenMs: 15 },
      { method: 'POST', path: '/users', documented: true, count: 0 },
    ]
    const { get, auth } = await start({}, { operations: () => operations })
    const res = await get('/api/operations', { headers: auth })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.json()).toEqual({ operations })
  })

  test('GET /api/findings filters by rule, severity and acknowledgement', async () => {
    const findings = memoryFindings([
      finding(1, 'shadow-operation', 'medium'),
      finding(2, 'pii-in-response', 'high'),
      finding(3, 'shadow-operation', 'high'),
    ])
    const { get, auth } = await start({}, { findings })
    const ids = async (query: string) => {
      const res = await get(`/api/findings${query}`, { headers: auth })
      expect(res.status).toBe(200)
      return ((await res.json()) as { findings: StoredFinding[] }).findings.map((f) => f.id)
    }
    expect(await ids('')).toEqual([1, 2, 3])
    expect(await ids('?rule=shadow-operation')).toEqual([1, 3])
    expect(await ids('?severity=high')).toEqual([2, 3])
    expect(await ids('?rule=shadow-operation&severity=high')).toEqual([3])
    expect(await ids('?acknowledged=true')).toEqual([])
    const ack = await get('/api/findings/3/ack', { method: 'POST', headers: auth })
    expect(ack.status).toBe(200)
    expect(await ack.json()).toEqual({ id: 3, acknowledged: true })
    expect(await ids('?acknowledged=true')).toEqual([3])
    expect(await ids('?acknowledged=false')).toEqual([1, 2])
    expect(findings.calls.at(-1)).toEqual({ acknowledged: false })
  })

  test.each([
    ['?severity=urgent', 'severity'],
    ['?acknowledged=yes', 'acknowledged'],
    ['?rule=Not%20A%20Rule', 'rule'],
    ['?colour=red', 'colour'],
    ['?rule=a&rule=b', 'rule'],
  ])('GET /api/findings%s is a coded 400 naming %s', async (query, name) => {
    const findings = memoryFindings([])
    const { get, auth } = await start({}, { findings })
    const body = await expectCoded(
      await get(`/api/findings${query}`, { headers: auth }),
      400,
      'SPECTER_ERR_BAD_REQUEST',
    )
    expect(body.message).toContain(name)
    expect(findings.calls).toEqual([])
  })

  test.each([
    ['/api/findings/abc/ack', 400, 'SPECTER_ERR_BAD_REQUEST'],
    ['/api/findings/0/ack', 400, 'SPECTER_ERR_BAD_REQUEST'],
    ['/api/findings/-1/ack', 400, 'SPECTER_ERR_BAD_REQUEST'],
    ['/api/findings/99999999999999999999/ack', 400, 'SPECTER_ERR_BAD_REQUEST'],
    ['/api/findings/42/ack', 404, 'SPECTER_ERR_NOT_FOUND'],
  ])('POST %s is a coded %i', async (path, status, code) => {
    const { get, auth } = await start({}, { findings: memoryFindings([finding(1, 'shadow-operation', 'low')]) })
    await expectCoded(await get(path, { method: 'POST', headers: auth }), status, code)
  })

  test('a malformed JSON body is a coded 400, never a stack trace', async () => {
    const { get, auth } = await start({}, { findings: memoryFindings([finding(1, 'shadow-operation', 'low')]) })
    const res = await get('/api/findings/1/ack', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"oops":',
    })
    await expectCoded(res, 400, 'SPECTER_ERR_BAD_REQUEST')
  })

  test('the inferred document as JSON and YAML', async () => {
    const doc = { openapi: '3.1.0', info: { title: 'inferred', version: '0' }, paths: { '/users/{id}': {} } }
    const { get, auth } = await start({}, { openApi: () => doc })
    const json = await get('/api/openapi.json', { headers: auth })
    expect(json.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await json.json()).toEqual(doc)
    const yaml = await get('/api/openapi.yaml', { headers: auth })
    expect(yaml.headers.get('content-type')).toMatch(/^application\/yaml/)
    expect(parseYaml(await yaml.text())).toEqual(doc)
  })

  test('GET /report serves the HTML report', async () => {
    const { get, auth } = await start({}, { reportHtml: async () => '<!doctype html><title>Specter</title>' })
    const res = await get('/report', { headers: auth })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await res.text()).toBe('<!doctype html><title>Specter</title>')
  })

  test.each(['/api/operations', '/api/findings', '/api/openapi.json', '/api/openapi.yaml', '/report'])(
    '%s without its source is a coded 503',
    async (path) => {
      const { get, auth } = await start()
      await expectCoded(await get(path, { headers: auth }), 503, 'SPECTER_ERR_ADMIN_UNAVAILABLE')
    },
  )

  test('a failing source is a coded 500 with no internals, reported once', async () => {
    const { get, auth, errors } = await start(
      {},
      {
        operations: () => {
          throw new Error('SQLITE_BUSY at /secret/path/specter.db')
        },
      },
    )
    const body = await expectCoded(await get('/api/operations', { headers: auth }), 500, 'SPECTER_ERR_INTERNAL')
    expect(body.message).not.toContain('SQLITE')
    expect(errors).toHaveLength(1)
  })

  test('unknown routes and odd URLs get coded 4xx answers', async () => {
    const { get, auth } = await start()
    await expectCoded(await get('/nope'), 404, 'SPECTER_ERR_NOT_FOUND')
    await expectCoded(await get('/api/nope', { headers: auth }), 404, 'SPECTER_ERR_NOT_FOUND')
    const odd = await get('/%E0%A4%A', { headers: auth })
    expect(odd.status).toBeGreaterThanOrEqual(400)
    expect(odd.status).toBeLessThan(500)
    expect(((await odd.json()) as { code: string }).code).toMatch(/^SPECTER_ERR_/)
  })
})
