// The admin API over a running Specter: real traffic through the proxy into the store, the
// published spec loaded from a file, answers read back over HTTP.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parse as parseYaml } from 'yaml'
import type { OperationSummary } from '../../src/admin/index.js'
import { parseExposition, sampleValue } from '../ops/exposition.js'
import { type RunningSpecter, startRunningSpecter } from '../ops/running-specter.js'

const TOKEN = 'ops-test-token-0123456789'

describe('admin API over a running Specter', () => {
  let specter: RunningSpecter
  const auth = { authorization: `Bearer ${TOKEN}` }
  const api = (path: string) => fetch(`${specter.adminUrl}${path}`, { headers: auth })

  beforeAll(async () => {
    specter = await startRunningSpecter({ admin: { token: TOKEN }, metrics: { maxRoutes: 50, driftIntervalMs: 1000 } })
    for (let i = 1; i <= 6; i++) await fetch(`${specter.proxyUrl}/users/${i}`)
    for (let i = 1; i <= 3; i++) await fetch(`${specter.proxyUrl}/orders/${i}`)
    await fetch(`${specter.proxyUrl}/users`, { method: 'POST', body: '{"name":"ada"}' })
    await specter.capture.drain()
  })

  afterAll(async () => {
    await specter?.close()
  })

  test('/readyz is ready while the proxy accepts', async () => {
    expect((await fetch(`${specter.adminUrl}/readyz`)).status).toBe(200)
  })

  test('GET /api/operations: documented operations with counts, shadow ones flagged, unobserved ones at zero', async () => {
    const res = await api('/api/operations')
    expect(res.status).toBe(200)
    const { operations } = (await res.json()) as { operations: OperationSummary[] }
    const byKey = new Map(operations.map((o) => [`${o.method} ${o.path}`, o]))
    expect(byKey.get('GET /users/{id}')).toMatchObject({ documented: true, count: 6 })
    expect(byKey.get('POST /users')).toMatchObject({ documented: true, count: 1 })
    expect(byKey.get('GET /health')).toEqual({ method: 'GET', path: '/health', documented: true, count: 0 })
    const shadow = operations.filter((o) => !o.documented)
    expect(shadow).toHaveLength(1)
    expect(shadow[0]).toMatchObject({ method: 'GET', count: 3 })
    expect(shadow[0]?.path).toMatch(/^\/orders\/\{[A-Za-z]+\}$/)
    const users = byKey.get('GET /users/{id}')
    expect(users?.firstSeenMs).toBeLessThanOrEqual(users?.lastSeenMs ?? 0)
    expect(users?.lastSeenMs).toBeLessThanOrEqual(Date.now())
  })

  test('GET /api/openapi.json and .yaml: the inferred document with the published templates', async () => {
    const json = (await (await api('/api/openapi.json')).json()) as { openapi: string; paths: Record<string, object> }
    expect(json.openapi).toMatch(/^3\./)
    expect(Object.keys(json.paths)).toEqual(expect.arrayContaining(['/users/{id}', '/users']))
    expect(Object.keys(json.paths).some((p) => p.startsWith('/orders/'))).toBe(true)
    const yaml = parseYaml(await (await api('/api/openapi.yaml')).text())
    expect(yaml).toEqual(json)
  })

  test('the route label uses the documented template once the spec is attached', async () => {
    const samples = parseExposition(await (await fetch(`${specter.adminUrl}/metrics`)).text())
    expect(
      sampleValue(samples, 'specter_http_requests_total', { method: 'GET', route: '/users/{id}', status_class: '2xx' }),
    ).toBe(6)
    expect(sampleValue(samples, 'specter_drift_shadow_operations')).toBe(1)
    expect(sampleValue(samples, 'specter_drift_unobserved_operations')).toBe(1)
  })

  test('findings: persisted with ids, filtered, acknowledged, and the gauge follows', async () => {
    const res = await api('/api/findings?rule=shadow-operation')
    expect(res.status).toBe(200)
    const { findings } = (await res.json()) as { findings: Array<{ id: number; path: string; acknowledged: boolean }> }
    expect(findings).toHaveLength(1)
    const shadow = findings[0]
    expect(shadow?.path).toMatch(/^\/orders\//)
    expect(shadow?.acknowledged).toBe(false)
    const gauge = async () =>
      sampleValue(
        parseExposition(await (await fetch(`${specter.adminUrl}/metrics`)).text()),
        'specter_drift_findings_open',
        { rule: 'shadow-operation' },
      )
    specter.ops.refresh()
    expect(await gauge()).toBe(1)
    const ack = await fetch(`${specter.adminUrl}/api/findings/${shadow?.id}/ack`, { method: 'POST', headers: auth })
    expect(ack.status).toBe(200)
    const acked = (await (await api('/api/findings?acknowledged=true')).json()) as { findings: Array<{ id: number }> }
    expect(acked.findings.map((f) => f.id)).toEqual([shadow?.id])
    // The next diff run sees the acknowledgement: the finding is no longer open.
    specter.ops.refresh()
    expect(await gauge()).toBeUndefined()
    const unknown = await fetch(`${specter.adminUrl}/api/findings/999999/ack`, { method: 'POST', headers: auth })
    expect(unknown.status).toBe(404)
  })

  test('GET /report: the HTML report over the live store', async () => {
    const res = await api('/report')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await res.text()
    expect(html).toMatch(/^<!doctype html>/i)
    expect(html).toContain('shadow-operation')
  })

  test('the API refuses callers without the token', async () => {
    expect((await fetch(`${specter.adminUrl}/api/operations`)).status).toBe(401)
  })
})

describe('finding statuses: the admin /report and /api/findings as `specter report` gives them', () => {
  let specter: RunningSpecter
  const auth = { authorization: `Bearer ${TOKEN}` }
  const api = (path: string) => fetch(`${specter.adminUrl}${path}`, { headers: auth })
  type Listed = { id: number; rule: string; status: string }
  const statuses = async () =>
    ((await (await api('/api/findings')).json()) as { findings: Listed[] }).findings.map(
      (f) => [f.id, f.status] as const,
    )

  beforeAll(async () => {
    // The drift interval outlasts the test: /api/findings reads the run /report or refresh() made.
    specter = await startRunningSpecter({
      admin: { token: TOKEN },
      metrics: { maxRoutes: 50, driftIntervalMs: 3_600_000 },
    })
    for (let i = 1; i <= 3; i++) await fetch(`${specter.proxyUrl}/orders/${i}`)
    await fetch(`${specter.proxyUrl}/users/1`)
    await specter.capture.drain()
  })

  afterAll(async () => {
    await specter?.close()
  })

  test('a fresh store: the first run reports its findings new, later runs open, acknowledged ones acknowledged', async () => {
    const html = await (await api('/report')).text()
    const first = specter.ops.report()?.report
    // /report ran first: the run above is a later one, so its findings are open; the page said new.
    expect(html).toMatch(/<b>([1-9][0-9]*)<\/b>new</)
    expect(html).not.toContain('<b>0</b>new')
    expect(first?.summary.new).toBe(0)
    expect(first?.findings.every((f) => f.status === 'open' && f.id !== undefined)).toBe(true)
    expect(await statuses()).toEqual(first?.findings.map((f) => [f.id, 'open']))

    const shadow = first?.findings.find((f) => f.rule === 'shadow-operation')
    expect(
      (await fetch(`${specter.adminUrl}/api/findings/${shadow?.id}/ack`, { method: 'POST', headers: auth })).status,
    ).toBe(200)
    const later = specter.ops.report()?.report
    expect(later?.summary).toMatchObject({ new: 0, acknowledged: 1 })
    expect(await statuses()).toEqual(later?.findings.map((f) => [f.id, f.status]))
    expect(new Map(await statuses()).get(shadow?.id ?? 0)).toBe('acknowledged')
  })

  test('/api/findings agrees with the run that first reported a finding', async () => {
    // A new operation shows up: the next run reports it new, in the report and in the API alike.
    await fetch(`${specter.proxyUrl}/users`, { method: 'POST', body: '{"name":"ada","extra":1}' })
    await fetch(`${specter.proxyUrl}/health`, { method: 'DELETE' })
    await specter.capture.drain()
    const report = specter.ops.report()?.report
    const fresh = report?.findings.filter((f) => f.status === 'new') ?? []
    expect(fresh.length).toBeGreaterThan(0)
    expect(report?.summary.new).toBe(fresh.length)
    expect(await statuses()).toEqual(expect.arrayContaining(fresh.map((f) => [f.id, 'new'])))
    expect((await statuses()).filter(([, status]) => status === 'new')).toHaveLength(fresh.length)
  })
})

describe('admin API with configured path pins', () => {
  let specter: RunningSpecter
  const auth = { authorization: `Bearer ${TOKEN}` }
  const api = (path: string) => fetch(`${specter.adminUrl}${path}`, { headers: auth })

  beforeAll(async () => {
    specter = await startRunningSpecter({
      admin: { token: TOKEN },
      metrics: { maxRoutes: 50, driftIntervalMs: 1000 },
      paths: { templates: ['/orders/{orderRef}'], literals: [] },
    })
    for (let i = 1; i <= 3; i++) await fetch(`${specter.proxyUrl}/orders/${i}`)
    await specter.capture.drain()
  })

  afterAll(async () => {
    await specter?.close()
  })

  test('operations and findings name the undocumented path by the pinned template, as `specter infer` does', async () => {
    const { operations } = (await (await api('/api/operations')).json()) as { operations: OperationSummary[] }
    expect(operations.filter((o) => !o.documented).map((o) => `${o.method} ${o.path}`)).toEqual([
      'GET /orders/{orderRef}',
    ])
    const { findings } = (await (await api('/api/findings?rule=shadow-operation')).json()) as {
      findings: Array<{ path: string }>
    }
    expect(findings.map((f) => f.path)).toEqual(['/orders/{orderRef}'])
    const doc = (await (await api('/api/openapi.json')).json()) as { paths: Record<string, object> }
    expect(Object.keys(doc.paths)).toContain('/orders/{orderRef}')
  })
})
