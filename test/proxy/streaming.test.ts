import { once } from 'node:events'
import { request } from 'node:http'
import { expect, test } from 'vitest'
import { startSpecter } from '../helpers/start-specter.js'
import { startUpstream } from '../helpers/upstream.js'

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

test('server-sent events are not buffered: the first event arrives before the upstream ends the stream', async () => {
  const firstEventSeen = deferred()
  let upstreamEnded = false
  const upstream = await startUpstream((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    res.write('id: 1\ndata: {"n":1}\n\n')
    // The second event and the end wait until the client has seen the first one through the proxy.
    firstEventSeen.promise.then(() => {
      res.write('id: 2\ndata: {"n":2}\n\n')
      upstreamEnded = true
      res.end()
    })
  })
  const app = await startSpecter({ upstream })
  const req = request(`${app.url}/events`, { headers: { accept: 'text/event-stream' }, agent: false })
  req.end()
  const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage]
  expect(res.headers['content-type']).toBe('text/event-stream')
  let text = ''
  res.setEncoding('utf8')
  for await (const chunk of res) {
    text += chunk
    if (text.includes('data: {"n":1}\n\n') && !text.includes('{"n":2}')) {
      expect(upstreamEnded).toBe(false)
      firstEventSeen.resolve()
    }
  }
  expect(text).toBe('id: 1\ndata: {"n":1}\n\nid: 2\ndata: {"n":2}\n\n')
  expect(upstreamEnded).toBe(true)
})

test('the head of an event stream reaches the client before any event', async () => {
  const headSeen = deferred()
  const upstream = await startUpstream((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' })
    res.flushHeaders()
    headSeen.promise.then(() => res.end('data: late\n\n'))
  })
  const app = await startSpecter({ upstream })
  const req = request(`${app.url}/events`, { agent: false })
  req.end()
  const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage]
  expect(res.statusCode).toBe(200)
  headSeen.resolve()
  let text = ''
  for await (const chunk of res) text += chunk
  expect(text).toBe('data: late\n\n')
})

test('a streamed chunked response is forwarded chunk by chunk, not held until the end', async () => {
  const chunks = ['{"part":0}', '{"part":1}', '{"part":2}']
  let next = deferred()
  const upstream = await startUpstream(async (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' })
    for (const chunk of chunks) {
      res.write(`${chunk}\n`)
      await next.promise
    }
    res.end()
  })
  const app = await startSpecter({ upstream })
  const req = request(`${app.url}/ndjson`, { agent: false })
  req.end()
  const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage]
  const received: string[] = []
  let buffer = ''
  for await (const chunk of res) {
    buffer += chunk
    while (buffer.includes('\n')) {
      const line = buffer.slice(0, buffer.indexOf('\n'))
      buffer = buffer.slice(buffer.indexOf('\n') + 1)
      received.push(line)
      // Each line is seen while the upstream is still waiting to send the next one.
      const release = next
      next = deferred()
      release.resolve()
    }
  }
  expect(received).toEqual(chunks)
})
