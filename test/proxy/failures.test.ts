import { once } from 'node:events'
import { type IncomingMessage, request } from 'node:http'
import { expect, test } from 'vitest'
import { CollectingSink } from '../helpers/collecting-sink.js'
import { send } from '../helpers/http-client.js'
import { startSpecter } from '../helpers/start-specter.js'
import { startUpstream, unusedUrl } from '../helpers/upstream.js'

test('an unreachable upstream gives 502 with a coded JSON body, and the proxy stays up', async () => {
  const sink = new CollectingSink()
  const app = await startSpecter({ upstream: await unusedUrl(), sink })
  for (let i = 0; i < 3; i++) {
    const res = await send(`${app.url}/users`, {
      method: i === 1 ? 'POST' : 'GET',
      body: i === 1 ? '{"a":1}' : undefined,
    })
    expect(res.status).toBe(502)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(JSON.parse(res.body.toString())).toEqual({
      error: { code: 'SPECTER_ERR_UPSTREAM_UNREACHABLE', message: expect.any(String) },
    })
  }
  const [exchange] = await sink.waitFor(3)
  expect(exchange).toMatchObject({ status: 0, outcome: 'upstream-error', method: 'GET', url: '/users' })
})

test('a slow upstream gives 504 with a coded JSON body, and the proxy keeps serving', async () => {
  const held: Array<import('node:http').ServerResponse> = []
  const upstream = await startUpstream((req, res) => {
    if (req.url === '/slow') {
      held.push(res) // never answered; closed with the server when the test ends
      return
    }
    res.end('fast')
  })
  const sink = new CollectingSink()
  const app = await startSpecter({ upstream, sink, config: { proxy: { upstreamTimeoutMs: 200 } } })
  const res = await send(`${app.url}/slow`)
  expect(res.status).toBe(504)
  expect(JSON.parse(res.body.toString()).error.code).toBe('SPECTER_ERR_UPSTREAM_TIMEOUT')
  expect(held).toHaveLength(1)
  const next = await send(`${app.url}/fast`)
  expect(next.status).toBe(200)
  expect(next.body.toString()).toBe('fast')
  await sink.waitFor(2)
  expect(sink.exchanges.map((e) => e.outcome)).toEqual(['upstream-timeout', 'ok'])
})

test('a client abort mid-response releases the upstream and the proxy stays up', async () => {
  let upstreamClosed: Promise<unknown> = Promise.resolve()
  const upstream = await startUpstream((req, res) => {
    if (req.url === '/ok') {
      res.end('still here')
      return
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    res.write(Buffer.alloc(64 * 1024, 1))
    // Keeps streaming until the proxy lets go of the connection.
    upstreamClosed = once(res, 'close')
  })
  const sink = new CollectingSink()
  const app = await startSpecter({ upstream, sink })
  const req = request(`${app.url}/download`, { agent: false })
  req.end()
  const [res] = (await once(req, 'response')) as [IncomingMessage]
  await once(res, 'data')
  req.destroy()
  await upstreamClosed
  const [exchange] = await sink.waitFor(1)
  expect(exchange?.outcome).toBe('aborted')
  expect(exchange?.status).toBe(200)
  expect(exchange?.responseBody.totalBytes).toBeGreaterThan(0)
  const after = await send(`${app.url}/ok`)
  expect(after.body.toString()).toBe('still here')
  expect(app.proxy.stats().inFlight).toBe(0)
})

test('a client abort during the upload is recorded as aborted and the proxy stays up', async () => {
  let upstreamSawRequest!: () => void
  const seen = new Promise<void>((resolve) => {
    upstreamSawRequest = resolve
  })
  const upstream = await startUpstream((req, res) => {
    if (req.url === '/ok') {
      res.end('ok')
      return
    }
    upstreamSawRequest()
    req.resume()
    req.on('end', () => res.end('complete'))
  })
  const sink = new CollectingSink()
  const app = await startSpecter({ upstream, sink })
  const req = request(`${app.url}/upload`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': '1000' },
  })
  req.on('error', () => {})
  req.write('{"partial":')
  await seen
  req.destroy()
  const [exchange] = await sink.waitFor(1)
  expect(exchange?.outcome).toBe('aborted')
  expect(Buffer.concat(exchange?.requestBody.chunks ?? []).toString()).toBe('{"partial":')
  expect((await send(`${app.url}/ok`)).body.toString()).toBe('ok')
})

test('a path escaping the upstream is refused by the proxy and not recorded', async () => {
  let hits = 0
  const upstream = await startUpstream((_req, res) => {
    hits++
    res.end()
  })
  const sink = new CollectingSink()
  const app = await startSpecter({ upstream, sink })
  const res = await send(app.url, { path: '/a/../../etc/passwd' })
  expect(res.status).toBe(400)
  expect(hits).toBe(0)
  await send(`${app.url}/fine`)
  await sink.waitFor(1)
  expect(sink.exchanges.map((e) => e.url)).toEqual(['/fine'])
})
