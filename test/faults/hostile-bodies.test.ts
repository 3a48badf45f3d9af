// Hostile bodies end to end: a real client sends them through the proxy, a real upstream sends
// them back, the capture shapes them into a real SQLite store. The client and the upstream see
// every byte unchanged; the store holds a bounded shape with a truncated or invalid marker.
import { once } from 'node:events'
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib'
import { expect, test } from 'vitest'
import { buildOpenApi } from '../../src/infer/index.js'
import type { ObservedExchange } from '../../src/store/index.js'
import { readBody, send, sha256 } from '../helpers/http-client.js'
import { startSpecter } from '../helpers/start-specter.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'
import { attempt, rawConnect } from './fault-kit.js'

interface HostileCase {
  body: Buffer
  contentType: string
  encoding?: string
}

const BOMB_DECODED_BYTES = 64 * 1024 * 1024
const zeros = Buffer.alloc(BOMB_DECODED_BYTES, 0x20)
const wide = `{${Array.from({ length: 100_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`
const huge = `[${Array.from({ length: 300_000 }, (_, i) => `{"id":${i}}`).join(',')}]`

const CASES: Record<string, HostileCase> = {
  'nesting-10000': {
    body: Buffer.from('{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)),
    contentType: 'application/json',
  },
  'wide-100000-keys': { body: Buffer.from(wide), contentType: 'application/json' },
  'huge-array': { body: Buffer.from(huge), contentType: 'application/json' },
  'gzip-bomb': {
    body: gzipSync(Buffer.concat([Buffer.from('{"pad":"'), zeros, Buffer.from('"}')]), { level: 9 }),
    contentType: 'application/json',
    encoding: 'gzip',
  },
  'brotli-bomb': {
    body: brotliCompressSync(Buffer.concat([Buffer.from('{"pad":"'), zeros, Buffer.from('"}')]), {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 },
    }),
    contentType: 'application/json',
    encoding: 'br',
  },
  'invalid-utf8': {
    body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]),
    contentType: 'application/json; charset=utf-8',
  },
  'binary-as-json': {
    body: Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919 + 13) % 256)),
    contentType: 'application/json',
  },
}

const isMarked = (x: ObservedExchange, side: 'request' | 'response'): boolean => {
  const kinds = side === 'request' ? x.requestKinds : x.responseKinds
  const truncated = side === 'request' ? x.requestTruncated : x.responseTruncated
  return truncated > 0 || (kinds.invalid ?? 0) > 0 || (kinds.binary ?? 0) > 0
}

test('hostile bodies pass through untouched both ways and are recorded bounded and marked', async () => {
  const received = new Map<string, string>()
  const upstream = await startUpstream(async (req, res) => {
    const name = (req.url ?? '').split('/')[2] ?? ''
    received.set(name, sha256(await readBody(req)))
    const c = CASES[name]
    if (c === undefined) {
      res.statusCode = 404
      res.end()
      return
    }
    res.setHeader('content-type', c.contentType)
    if (c.encoding !== undefined) res.setHeader('content-encoding', c.encoding)
    res.end(c.body)
  })
  const app = await startSpecter({ upstream, dbPath: tempDbPath() })
  const perExchangeMs: Record<string, number> = {}
  for (const [name, c] of Object.entries(CASES)) {
    const started = performance.now()
    const res = await send(`${app.url}/hostile/${name}`, {
      method: 'POST',
      headers: {
        'content-type': c.contentType,
        ...(c.encoding !== undefined ? { 'content-encoding': c.encoding } : {}),
      },
      body: c.body,
    })
    expect(res.status, name).toBe(200)
    expect(sha256(res.body), name).toBe(sha256(c.body))
    expect(received.get(name), name).toBe(sha256(c.body))
    await app.capture.drain()
    perExchangeMs[name] = Math.round(performance.now() - started)
  }
  // Measured, not asserted tightly: a generous ceiling catches a quadratic blow-up only.
  console.info('hostile bodies, ms per exchange (proxy + capture + store):', perExchangeMs)
  for (const ms of Object.values(perExchangeMs)) expect(ms).toBeLessThan(20_000)

  const exchanges = app.store.inventory().endpoints.flatMap((e) => e.exchanges)
  expect(exchanges.reduce((n, x) => n + x.count, 0)).toBe(Object.keys(CASES).length)
  for (const x of exchanges) {
    expect(isMarked(x, 'request')).toBe(true)
    expect(isMarked(x, 'response')).toBe(true)
  }
  // Every case is marked on both sides; the rows stay small whatever came in.
  expect(app.store.stats().fileBytes).toBeLessThan(4 * 1024 * 1024)
  const doc = JSON.stringify(buildOpenApi(app.store.inventory(), { title: 't', version: '1' }))
  expect(doc.length).toBeLessThan(200_000)
  const stats = app.capture.stats()
  expect(stats.decodeFailures + stats.truncatedBodies).toBeGreaterThanOrEqual(Object.keys(CASES).length)
  expect(stats.tapErrors).toBe(0)
})

test('__proto__ and constructor keys are data end to end: nothing polluted, the document holds them', async () => {
  const body =
    '{"__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}},' +
    '"nested":[{"__proto__":{"toString":"x"},"hasOwnProperty":1}]}'
  const upstream = await startUpstream(async (req, res) => {
    await readBody(req)
    res.setHeader('content-type', 'application/json')
    res.end(body)
  })
  const app = await startSpecter({ upstream, dbPath: tempDbPath() })
  for (let i = 0; i < 3; i++) {
    const res = await send(`${app.url}/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    expect(res.body.toString()).toBe(body)
  }
  await app.capture.drain()
  const doc = buildOpenApi(app.store.inventory(), { title: 't', version: '1' })
  const text = JSON.stringify(doc)
  const probe: Record<string, unknown> = {}
  expect(probe.polluted).toBeUndefined()
  expect(probe.isAdmin).toBeUndefined()
  expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false)
  expect(typeof probe.toString).toBe('function')
  // The keys are recorded as ordinary properties of the observed schema.
  expect(text).toContain('"__proto__"')
  expect(text).toContain('"constructor"')
  expect(text).toContain('"hasOwnProperty"')
  expect(app.capture.stats().tapErrors).toBe(0)
})

test('a 1 GB declared content-length with a small body: bounded memory, cut cleanly, proxy stays up', async () => {
  const rssBefore = process.memoryUsage().rss
  const upstream = await startUpstream(async (req, res) => {
    if (req.url === '/ok') {
      res.end('ok')
      return
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1024 ** 3) })
    res.write(`{"data":"${'x'.repeat(64 * 1024)}`, () => res.socket?.destroy())
  })
  const app = await startSpecter({ upstream, dbPath: tempDbPath() })
  const down = await attempt(`${app.url}/big`)
  expect(down.status).toBe(200)
  expect(down.aborted).toBe(true)
  // Request side: a client declares 1 GB, sends 64 KiB and goes away.
  const socket = await rawConnect(app.url)
  const closed = once(socket, 'close')
  socket.write(
    `POST /big-upload HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${1024 ** 3}\r\n\r\n`,
  )
  socket.write(`{"data":"${'y'.repeat(64 * 1024)}`, () => socket.destroy())
  await closed
  const ok = await attempt(`${app.url}/ok`)
  expect(ok).toMatchObject({ status: 200, aborted: false })
  await app.capture.drain()
  const exchanges = app.store.inventory().endpoints.flatMap((e) => e.exchanges)
  // The cut download is a failed exchange; the abandoned upload is recorded as aborted.
  expect(exchanges.find((x) => x.status === 200 && x.outcome !== 'ok')).toBeDefined()
  await expect.poll(() => app.proxy.stats().inFlight).toBe(0)
  // No 1 GB buffer anywhere: the process grew by far less than the declared size.
  expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024)
  expect(app.proxy.stats().inFlight).toBe(0)
})
