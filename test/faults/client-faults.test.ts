// Client faults against the whole stack: aborts mid-upload and mid-download, slow headers and
// bodies (slowloris) cut by the configured timeouts, pipelining and keep-alive reuse, oversize
// headers (431), and a bounded storm of concurrent connections after which no socket, file
// descriptor or memory is left behind.
import { once } from 'node:events'
import { type IncomingMessage, request } from 'node:http'
import { expect, test } from 'vitest'
import { readBody } from '../helpers/http-client.js'
import { startSpecter } from '../helpers/start-specter.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstreamServer } from '../helpers/upstream.js'
import { attempt, openFds, outcomes, rawConnect, readUntilClose } from './fault-kit.js'

async function echoUpstream() {
  return startUpstreamServer(async (req, res) => {
    if (req.url === '/download') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      // Streams until the proxy lets go (the client aborted); bounded by the 30 s test timeout.
      const chunk = Buffer.alloc(64 * 1024, 1)
      const pump = (): void => {
        while (res.write(chunk)) {}
      }
      res.on('drain', pump)
      pump()
      return
    }
    // A client that vanishes mid-upload makes the proxy abort this request: not an error here.
    const body = await readBody(req).catch(() => undefined)
    if (body === undefined) return
    res.setHeader('content-type', 'application/json')
    res.end(body.length > 0 ? body : '{"ok":true}')
  })
}

test('aborts mid-upload and mid-download: recorded as aborted, upstream released, proxy stays up', async () => {
  const upstream = await echoUpstream()
  const app = await startSpecter({ upstream: upstream.url, dbPath: tempDbPath() })

  const down = request(`${app.url}/download`, { agent: false })
  down.end()
  const [res] = (await once(down, 'response')) as [IncomingMessage]
  await once(res, 'data')
  down.destroy()

  const up = request(`${app.url}/upload`, {
    agent: false,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': '100000' },
  })
  up.on('error', () => {})
  up.write('{"partial":"')
  await new Promise<void>((resolve) => up.write('x'.repeat(1000), () => resolve()))
  up.destroy()

  await expect.poll(() => app.proxy.stats().inFlight, { timeout: 10_000 }).toBe(0)
  const ok = await attempt(`${app.url}/ok`)
  expect(ok).toMatchObject({ status: 200, aborted: false })
  await app.capture.drain()
  expect(outcomes(app.store).aborted).toBeGreaterThanOrEqual(1)
  expect(outcomes(app.store).ok).toBeGreaterThanOrEqual(1)
  // The upstream's side of the aborted exchanges is closed too.
  await expect
    .poll(() => new Promise((r) => upstream.server.getConnections((_e, n) => r(n))), { timeout: 10_000 })
    .toBeLessThanOrEqual(1)
})

test('slowloris headers are cut at proxy.headersTimeoutMs, a slow body at proxy.requestTimeoutMs', async () => {
  const upstream = await echoUpstream()
  const app = await startSpecter({
    upstream: upstream.url,
    dbPath: tempDbPath(),
    config: { proxy: { headersTimeoutMs: 500, requestTimeoutMs: 1_000 } },
  })
  const slowHead = await rawConnect(app.url)
  const headStarted = performance.now()
  slowHead.write('GET /slow HTTP/1.1\r\nhost: x\r\nx-a: 1\r\n')
  const slowBody = await rawConnect(app.url)
  const bodyStarted = performance.now()
  slowBody.write(
    'POST /slow HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"a":',
  )
  const [head, body] = await Promise.all([readUntilClose(slowHead, 20_000), readUntilClose(slowBody, 20_000)])
  const headMs = performance.now() - headStarted
  const bodyMs = performance.now() - bodyStarted
  console.info('slow clients cut after', { headMs: Math.round(headMs), bodyMs: Math.round(bodyMs) })
  expect(head.closed).toBe(true)
  expect(body.closed).toBe(true)
  expect(head.data).toMatch(/^HTTP\/1\.1 408|^$/)
  // Cut by the configured timeouts (0.5 s, 1 s), not left open (loose bound: shared machine).
  expect(headMs).toBeLessThan(8_000)
  expect(bodyMs).toBeLessThan(8_000)
  expect((await attempt(`${app.url}/ok`)).status).toBe(200)
})

test('pipelined requests are answered in order, keep-alive connections are reused', async () => {
  const upstream = await echoUpstream()
  const app = await startSpecter({ upstream: upstream.url, dbPath: tempDbPath() })
  const socket = await rawConnect(app.url)
  const requests = [1, 2, 3, 4, 5].map(
    (i) =>
      `POST /items/${i} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${`{"n":${i}}`.length}\r\n\r\n{"n":${i}}`,
  )
  socket.write(`${requests.join('')}GET /last HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`)
  const { data, closed } = await readUntilClose(socket, 20_000)
  expect(closed).toBe(true)
  expect(data.match(/HTTP\/1\.1 200/g)).toHaveLength(6)
  const bodies = [...data.matchAll(/\{"n":(\d)\}/g)].map((m) => m[1])
  expect(bodies).toEqual(['1', '2', '3', '4', '5'])
  await app.capture.drain()
  expect(app.store.inventory().endpoints.reduce((n, e) => n + e.count, 0)).toBe(6)
  expect(app.proxy.stats().inFlight).toBe(0)
})

test('oversize request headers get 431 and the proxy stays up', async () => {
  const upstream = await echoUpstream()
  const app = await startSpecter({ upstream: upstream.url, dbPath: tempDbPath() })
  const socket = await rawConnect(app.url)
  socket.write(`GET /big HTTP/1.1\r\nhost: x\r\nx-huge: ${'a'.repeat(64 * 1024)}\r\n\r\n`)
  const { data } = await readUntilClose(socket, 20_000)
  expect(data).toMatch(/^HTTP\/1\.1 431/)
  expect((await attempt(`${app.url}/ok`)).status).toBe(200)
})

test('a storm of concurrent connections leaves no socket, descriptor or memory behind', {
  timeout: 120_000,
}, async () => {
  const upstream = await echoUpstream()
  const app = await startSpecter({ upstream: upstream.url, dbPath: tempDbPath() })
  // Warm up (lazy modules, upstream pool) before the baseline.
  for (let i = 0; i < 5; i++) await attempt(`${app.url}/warm`)
  await app.capture.drain()
  const fdsBefore = openFds()
  global.gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  const STORM = 300
  const results = await Promise.all(
    Array.from({ length: STORM }, async (_, i) => {
      if (i % 3 === 2) {
        // A third open a connection, send half a request and vanish.
        const socket = await rawConnect(app.url)
        socket.write('POST /storm HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{"a":')
        socket.destroy()
        return 200
      }
      const res = await attempt(`${app.url}/storm/${i}`, { method: 'POST', body: `{"i":${i}}` })
      return res.status
    }),
  )
  expect(results.filter((s) => s !== 200)).toEqual([])
  await expect.poll(() => app.proxy.stats().inFlight, { timeout: 20_000 }).toBe(0)
  await expect
    .poll(() => new Promise<number>((r) => app.proxy.app.server.getConnections((_e, n) => r(n))), { timeout: 20_000 })
    .toBe(0)
  await expect.poll(() => openFds(), { timeout: 20_000 }).toBeLessThanOrEqual(fdsBefore + 2)
  await app.capture.drain()
  global.gc?.()
  const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20
  console.info('storm:', { connections: STORM, fdsBefore, fdsAfter: openFds(), heapGrowthMb: heapGrowthMb.toFixed(1) })
  expect(heapGrowthMb).toBeLessThan(64)
  expect((await attempt(`${app.url}/ok`)).status).toBe(200)
})
