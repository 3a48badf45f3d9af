import { randomBytes } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import type { CaptureSink } from '../../src/capture/index.js'
import { bytesOf, CollectingSink, EndRecorder } from '../helpers/collecting-sink.js'
import { readBody, send, sha256 } from '../helpers/http-client.js'
import { startSpecter } from '../helpers/start-specter.js'
import { startUpstream } from '../helpers/upstream.js'

describe('the tap', () => {
  test('hands the sink one Exchange with exact copies of small bodies', async () => {
    const upstream = await startUpstream(async (req, res) => {
      const body = await readBody(req)
      res.writeHead(201, { 'content-type': 'application/json', 'set-cookie': ['s=1', 't=2'] })
      res.end(`{"echo":${body.toString()}}`)
    })
    const sink = new CollectingSink()
    const app = await startSpecter({ upstream, sink })
    const res = await send(`${app.url}/orders?debug=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t0k3n' },
      body: '{"qty":2}',
    })
    expect(res.body.toString()).toBe('{"echo":{"qty":2}}')
    const [exchange] = await sink.waitFor(1)
    expect(exchange).toMatchObject({
      method: 'POST',
      url: '/orders?debug=1',
      status: 201,
      outcome: 'ok',
      clientAddress: '127.0.0.1',
    })
    expect(exchange?.requestHeaders['authorization']).toBe('Bearer t0k3n')
    expect(exchange?.responseHeaders['content-type']).toBe('application/json')
    expect(exchange?.responseHeaders['set-cookie']).toEqual(['s=1', 't=2'])
    expect(exchange?.requestBody).toMatchObject({ copiedBytes: 9, totalBytes: 9, truncated: false })
    expect(bytesOf(exchange!.requestBody).toString()).toBe('{"qty":2}')
    expect(exchange?.responseBody).toMatchObject({ copiedBytes: 18, totalBytes: 18, truncated: false })
    expect(bytesOf(exchange!.responseBody).toString()).toBe('{"echo":{"qty":2}}')
    expect(exchange!.endMs).toBeGreaterThanOrEqual(exchange!.startMs)
  })

  test('copies at most capture.maxBodyBytes of each body and flags the cut, while the client gets everything', async () => {
    const requestBytes = randomBytes(200_000)
    const responseBytes = randomBytes(300_000)
    const upstream = await startUpstream(async (req, res) => {
      await readBody(req)
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      // Several writes: the cut falls inside a chunk, not on a boundary.
      for (let at = 0; at < responseBytes.length; at += 70_001) res.write(responseBytes.subarray(at, at + 70_001))
      res.end()
    })
    const sink = new CollectingSink()
    const app = await startSpecter({ upstream, sink, config: { capture: { maxBodyBytes: 100_000 } } })
    const res = await send(`${app.url}/blob`, { method: 'PUT', body: requestBytes })
    expect(sha256(res.body)).toBe(sha256(responseBytes))
    const [exchange] = await sink.waitFor(1)
    expect(exchange?.requestBody).toMatchObject({ copiedBytes: 100_000, totalBytes: 200_000, truncated: true })
    expect(Buffer.compare(bytesOf(exchange!.requestBody), requestBytes.subarray(0, 100_000))).toBe(0)
    expect(exchange?.responseBody).toMatchObject({ copiedBytes: 100_000, totalBytes: 300_000, truncated: true })
    expect(Buffer.compare(bytesOf(exchange!.responseBody), responseBytes.subarray(0, 100_000))).toBe(0)
  })

  test('copies compressed bodies as they are on the wire', async () => {
    const { gzipSync } = await import('node:zlib')
    const encoded = gzipSync('{"a":1}')
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      res.end(encoded)
    })
    const sink = new CollectingSink()
    const app = await startSpecter({ upstream, sink })
    await send(`${app.url}/z`)
    const [exchange] = await sink.waitFor(1)
    expect(exchange?.responseHeaders['content-encoding']).toBe('gzip')
    expect(Buffer.compare(bytesOf(exchange!.responseBody), encoded)).toBe(0)
  })

  test('maxBodyBytes 0 copies nothing but still counts the bytes', async () => {
    const upstream = await startUpstream((_req, res) => {
      res.end('0123456789')
    })
    const sink = new CollectingSink()
    const app = await startSpecter({ upstream, sink, config: { capture: { maxBodyBytes: 0 } } })
    await send(`${app.url}/n`, { method: 'POST', body: 'abc' })
    const [exchange] = await sink.waitFor(1)
    expect(exchange?.requestBody).toEqual({ chunks: [], copiedBytes: 0, totalBytes: 3, truncated: true })
    expect(exchange?.responseBody).toEqual({ chunks: [], copiedBytes: 0, totalBytes: 10, truncated: true })
  })

  test('a sink that throws never affects the client; failures are counted', async () => {
    const upstream = await startUpstream(async (req, res) => {
      res.end(await readBody(req))
    })
    const throwing: CaptureSink = {
      submit: () => {
        throw new Error('sink exploded')
      },
      drain: async () => {},
    }
    const ended = new EndRecorder()
    const app = await startSpecter({ upstream, sink: throwing, onExchangeEnd: ended.hook })
    for (let i = 0; i < 5; i++) {
      const res = await send(`${app.url}/echo/${i}`, { method: 'POST', body: `{"i":${i}}` })
      expect(res.status).toBe(200)
      expect(res.body.toString()).toBe(`{"i":${i}}`)
    }
    // The hook runs after the sink for the same exchange, so five calls mean five submits.
    await ended.waitFor(5)
    expect(app.proxy.stats().sinkErrors).toBe(5)
  })

  test('a throwing onExchangeEnd hook never affects the client or the sink', async () => {
    const upstream = await startUpstream((_req, res) => {
      res.end('ok')
    })
    const sink = new CollectingSink()
    const app = await startSpecter({
      upstream,
      sink,
      onExchangeEnd: () => {
        throw new Error('hook exploded')
      },
    })
    for (let i = 0; i < 3; i++) expect((await send(`${app.url}/h`)).body.toString()).toBe('ok')
    await sink.waitFor(3)
    expect(app.proxy.stats().hookErrors).toBe(3)
  })

  test('onExchangeEnd gets timings for every exchange', async () => {
    const upstream = await startUpstream((_req, res) => {
      res.end('ok')
    })
    const ended = new EndRecorder()
    const app = await startSpecter({ upstream, onExchangeEnd: ended.hook })
    await send(`${app.url}/t`)
    await ended.waitFor(1)
    const timing = ended.calls[0]?.timing
    expect(timing?.totalMs).toBeGreaterThan(0)
    expect(timing?.upstreamMs).toBeGreaterThan(0)
    expect(timing!.upstreamMs!).toBeLessThanOrEqual(timing!.totalMs)
    expect(timing?.upstreamError).toBeUndefined()
  })

  test('capture.sampleRate 0 submits nothing, yet every exchange still reaches onExchangeEnd', async () => {
    const upstream = await startUpstream((_req, res) => {
      res.end('ok')
    })
    const sink = new CollectingSink()
    const ended = new EndRecorder()
    const app = await startSpecter({
      upstream,
      sink,
      onExchangeEnd: ended.hook,
      config: { capture: { sampleRate: 0 } },
    })
    for (let i = 0; i < 4; i++) await send(`${app.url}/s`, { method: 'POST', body: 'abc' })
    await ended.waitFor(4)
    expect(sink.exchanges).toHaveLength(0)
    expect(ended.calls[0]?.exchange.requestBody).toMatchObject({ copiedBytes: 0, totalBytes: 3 })
  })
})
