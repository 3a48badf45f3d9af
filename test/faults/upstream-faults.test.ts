// Upstream faults through the whole stack (proxy, capture, SQLite store, metrics): the client gets
// the right 502/504 or a cleanly cut stream, the proxy keeps serving, the store records the
// exchange as failed, and /metrics counts it.
import type { ServerResponse } from 'node:http'
import { expect, test } from 'vitest'
import { startSpecter, type TestSpecterStack } from '../helpers/start-specter.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream, unusedUrl } from '../helpers/upstream.js'
import { attempt, metricValue, outcomes, scrape, startRawServer } from './fault-kit.js'

const TIMEOUTS = { proxy: { upstreamTimeoutMs: 300, upstreamBodyIdleTimeoutMs: 300 } }

/** After the fault, a healthy request through the same proxy still works. */
async function expectStillServing(app: TestSpecterStack, healthyUrl: string): Promise<void> {
  const res = await attempt(healthyUrl)
  expect(res).toMatchObject({ status: 200, aborted: false })
  expect(res.body.toString()).toBe('{"ok":true}')
  expect(app.proxy.stats().inFlight).toBe(0)
}

/** A JSON upstream for /ok, `fault` for everything else. */
async function upstreamWith(fault: (res: ServerResponse, url: string) => void): Promise<string> {
  return startUpstream((req, res) => {
    if (req.url === '/ok') {
      res.setHeader('content-type', 'application/json')
      res.end('{"ok":true}')
      return
    }
    fault(res, req.url ?? '')
  })
}

test('connection refused: 502 UNREACHABLE, recorded as upstream-error, counted as connect', async () => {
  const app = await startSpecter({ upstream: await unusedUrl(), dbPath: tempDbPath() })
  const res = await attempt(`${app.url}/users/1`)
  expect(res.status).toBe(502)
  expect(JSON.parse(res.body.toString()).error.code).toBe('SPECTER_ERR_UPSTREAM_UNREACHABLE')
  const again = await attempt(`${app.url}/users/2`, { method: 'POST', body: '{"a":1}' })
  expect(again.status).toBe(502)
  await app.capture.drain()
  expect(outcomes(app.store)).toEqual({ 'upstream-error': 2 })
  const metrics = await scrape(app.adminUrl)
  expect(metricValue(metrics, 'specter_upstream_errors_total', { kind: 'connect' })).toBe(2)
  expect(metricValue(metrics, 'specter_http_requests_total', { status_class: 'none' })).toBe(2)
  expect(app.proxy.accepting).toBe(true)
})

test('reset mid-response: the client stream is cut, the exchange is failed, the proxy stays up', async () => {
  const upstream = await upstreamWith((res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' })
    res.write(`{"items":[${'1,'.repeat(2000)}`, () => res.socket?.destroy())
  })
  const app = await startSpecter({ upstream, dbPath: tempDbPath(), config: TIMEOUTS })
  const res = await attempt(`${app.url}/items`)
  expect(res.status).toBe(200)
  expect(res.aborted).toBe(true)
  expect(res.body.length).toBeLessThan(100_000)
  await expectStillServing(app, `${app.url}/ok`)
  await app.capture.drain()
  const o = outcomes(app.store)
  expect(o.ok).toBe(1)
  expect((o['upstream-error'] ?? 0) + (o.aborted ?? 0)).toBe(1)
  const metrics = await scrape(app.adminUrl)
  expect(metricValue(metrics, 'specter_upstream_errors_total', { kind: 'reset' })).toBe(1)
})

test('reset before the head: 502 UPSTREAM_RESET, recorded and counted', async () => {
  const upstream = await upstreamWith((res) => {
    res.socket?.destroy()
  })
  const app = await startSpecter({ upstream, dbPath: tempDbPath(), config: TIMEOUTS })
  const res = await attempt(`${app.url}/boom`)
  expect(res.status).toBe(502)
  expect(JSON.parse(res.body.toString()).error.code).toBe('SPECTER_ERR_UPSTREAM_RESET')
  await expectStillServing(app, `${app.url}/ok`)
  await app.capture.drain()
  expect(outcomes(app.store)).toEqual({ ok: 1, 'upstream-error': 1 })
  expect(metricValue(await scrape(app.adminUrl), 'specter_upstream_errors_total', { kind: 'reset' })).toBe(1)
})

test('a response that stalls half way is cut after the body idle timeout, recorded as failed', async () => {
  const stalled: ServerResponse[] = []
  const upstream = await upstreamWith((res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2000' })
    res.write(`{"half":"${'x'.repeat(991)}`)
    stalled.push(res) // never finished; the upstream server closes it after the test
  })
  const app = await startSpecter({ upstream, dbPath: tempDbPath(), config: TIMEOUTS })
  const started = performance.now()
  const res = await attempt(`${app.url}/stall`)
  const elapsedMs = performance.now() - started
  expect(res.status).toBe(200)
  expect(res.aborted).toBe(true)
  expect(res.body.length).toBe(1000)
  // Cut by the 300 ms idle timeout, not by the 30 s test timeout (loose bound: shared machine).
  expect(elapsedMs).toBeLessThan(15_000)
  expect(stalled).toHaveLength(1)
  await expectStillServing(app, `${app.url}/ok`)
  await app.capture.drain()
  const o = outcomes(app.store)
  expect(o.ok).toBe(1)
  expect(o['upstream-timeout']).toBe(1)
  expect(metricValue(await scrape(app.adminUrl), 'specter_upstream_errors_total', { kind: 'timeout' })).toBe(1)
})

test('slow headers: 504 UPSTREAM_TIMEOUT, recorded as upstream-timeout, counted', async () => {
  const held: ServerResponse[] = []
  const upstream = await upstreamWith((res) => {
    held.push(res)
  })
  const app = await startSpecter({ upstream, dbPath: tempDbPath(), config: TIMEOUTS })
  const res = await attempt(`${app.url}/slow`)
  expect(res.status).toBe(504)
  expect(JSON.parse(res.body.toString()).error.code).toBe('SPECTER_ERR_UPSTREAM_TIMEOUT')
  await expectStillServing(app, `${app.url}/ok`)
  await app.capture.drain()
  expect(outcomes(app.store)).toEqual({ ok: 1, 'upstream-timeout': 1 })
  expect(metricValue(await scrape(app.adminUrl), 'specter_upstream_errors_total', { kind: 'timeout' })).toBe(1)
})

test.each([
  ['garbage instead of a status line', 'NOT HTTP AT ALL\r\n\r\n'],
  ['a status line with a bad code', 'HTTP/1.1 9999 Nope\r\ncontent-length: 0\r\n\r\n'],
  ['a header line without a colon', 'HTTP/1.1 200 OK\r\nthis is not a header\r\n\r\n'],
  ['conflicting framing', 'HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-length: 7\r\n\r\nhello'],
])('invalid HTTP from the upstream (%s): 502, recorded and counted, proxy stays up', async (_name, garbage) => {
  const raw = await startRawServer((socket) => {
    socket.once('data', () => socket.end(garbage))
  })
  const app = await startSpecter({ upstream: raw.url, dbPath: tempDbPath(), config: TIMEOUTS })
  for (let i = 0; i < 2; i++) {
    const res = await attempt(`${app.url}/garbage`)
    expect(res.status).toBe(502)
    expect(JSON.parse(res.body.toString()).error.code).toBe('SPECTER_ERR_UPSTREAM_RESET')
  }
  expect(app.proxy.stats().inFlight).toBe(0)
  await app.capture.drain()
  expect(outcomes(app.store)).toEqual({ 'upstream-error': 2 })
  expect(metricValue(await scrape(app.adminUrl), 'specter_upstream_errors_total', { kind: 'reset' })).toBe(2)
})
