import { once } from 'node:events'
import { Agent, type IncomingMessage, request } from 'node:http'
import { expect, test } from 'vitest'
import { readBody } from '../helpers/http-client.js'
import { startSpecter } from '../helpers/start-specter.js'
import { startUpstream } from '../helpers/upstream.js'

function call(agent: Agent, url: string, method: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent }, (res: IncomingMessage) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => {
        text += c
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

test('one client keep-alive connection carries many exchanges, bodies and all', async () => {
  const upstream = await startUpstream(async (req, res) => {
    const body = await readBody(req)
    res.setHeader('content-type', 'application/json')
    res.end(`{"method":"${req.method}","len":${body.length}}`)
  })
  const app = await startSpecter({ upstream })
  let connections = 0
  app.proxy.app.server.on('connection', () => connections++)
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  try {
    for (let i = 0; i < 30; i++) {
      // (HEAD is left out: Node's own client opens a new connection after a HEAD answered without a length.)
      const method = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'][i % 5] as string
      const body = method === 'POST' || method === 'PUT' || method === 'PATCH' ? `{"i":${i}}` : undefined
      const res = await call(agent, `${app.url}/items/${i}`, method, body)
      expect(res.status).toBe(200)
      expect(JSON.parse(res.body)).toEqual({ method, len: body?.length ?? 0 })
    }
  } finally {
    agent.destroy()
  }
  expect(connections).toBe(1)
})

test('an upstream answering before reading the upload gets its answer to the client, and the connection is not reused', async () => {
  const upstream = await startUpstream((_req, res) => {
    // Refuses the upload without reading it.
    res.writeHead(413, { 'content-type': 'application/json' })
    res.end('{"error":"too large"}')
  })
  const app = await startSpecter({ upstream })
  const req = request(`${app.url}/upload`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(8 * 1024 * 1024) },
  })
  req.on('error', () => {})
  // Sends only the first part: the proxy must answer without waiting for the rest.
  req.write(Buffer.alloc(64 * 1024))
  const [res] = (await once(req, 'response')) as [IncomingMessage]
  expect(res.statusCode).toBe(413)
  expect(res.headers['connection']).toBe('close')
  expect((await readBody(res)).toString()).toBe('{"error":"too large"}')
  req.destroy()
})
