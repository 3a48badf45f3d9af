import { randomBytes } from 'node:crypto'
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { readBody, send, sha256 } from '../helpers/http-client.js'
import { startSpecter } from '../helpers/start-specter.js'
import { startUpstream } from '../helpers/upstream.js'

describe('byte-identical pass-through', () => {
  test('a JSON response arrives byte for byte with its status and content type', async () => {
    const body = '{"id":42,"name":"ada","tags":["a","b"],"nested":{"x":1.50}}'
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-request-seen': 'yes' })
      res.end(body)
    })
    const app = await startSpecter({ upstream })
    const res = await send(`${app.url}/users/42`)
    expect(res.status).toBe(201)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.headers['x-request-seen']).toBe('yes')
    expect(sha256(res.body)).toBe(sha256(body))
  })

  test.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
    ['deflate', deflateSync],
    ['deflate (raw)', deflateRawSync],
  ])('a %s response is passed through still encoded, never re-encoded', async (_name, encode) => {
    const plain = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}` })) })
    const encoded = encode(Buffer.from(plain))
    const encoding = _name.startsWith('deflate') ? 'deflate' : _name
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': encoding,
        'content-length': encoded.length,
        vary: 'accept-encoding',
      })
      res.end(encoded)
    })
    const app = await startSpecter({ upstream })
    const res = await send(`${app.url}/items`, { headers: { 'accept-encoding': 'gzip, br, deflate' } })
    expect(res.headers['content-encoding']).toBe(encoding)
    expect(res.headers['content-length']).toBe(String(encoded.length))
    expect(sha256(res.body)).toBe(sha256(encoded))
  })

  test('binary bodies pass unchanged both ways', async () => {
    const requestBytes = randomBytes(256 * 1024)
    const responseBytes = randomBytes(300 * 1024)
    let seen = ''
    const upstream = await startUpstream(async (req, res) => {
      seen = sha256(await readBody(req))
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      res.end(responseBytes)
    })
    const app = await startSpecter({ upstream })
    const res = await send(`${app.url}/blob`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: requestBytes,
    })
    expect(seen).toBe(sha256(requestBytes))
    expect(sha256(res.body)).toBe(sha256(responseBytes))
  })

  test.each([
    ['POST', '{ "a" :  1.0 ,\n\t"b": [ ] }'],
    ['PUT', '{"dup":1,"dup":2}'],
    ['POST', '{"big":123456789012345678901234567890,"small":-0.0e-0}'],
    ['PATCH', '  [1, 2.50, "\\u00e9", null]  \n'],
    ['POST', '"just a string"'],
  ])('%s with odd but valid JSON reaches the upstream byte for byte: %s', async (method, json) => {
    let received: Buffer = Buffer.alloc(0)
    let contentType: string | undefined
    const upstream = await startUpstream(async (req, res) => {
      received = await readBody(req)
      contentType = req.headers['content-type']
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      res.end(received)
    })
    const app = await startSpecter({ upstream })
    const res = await send(`${app.url}/echo`, {
      method,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: json,
    })
    expect(received.toString()).toBe(json)
    expect(contentType).toBe('application/json; charset=utf-8')
    expect(res.body.toString()).toBe(json)
  })

  test('a body with an unusual or invalid content type is forwarded, not rejected', async () => {
    let received = ''
    const upstream = await startUpstream(async (req, res) => {
      received = (await readBody(req)).toString()
      res.end(`${req.headers['content-type']}`)
    })
    const app = await startSpecter({ upstream })
    const res = await send(`${app.url}/x`, {
      method: 'POST',
      headers: { 'content-type': 'not a media type' },
      body: 'a=1',
    })
    expect(res.status).toBe(200)
    expect(received).toBe('a=1')
    expect(res.body.toString()).toBe('not a media type')
  })

  test('50 MB streams through in both directions', async () => {
    const size = 50 * 1024 * 1024
    const block = randomBytes(1024 * 1024)
    const upload = Buffer.concat(Array.from({ length: 50 }, () => block))
    let uploadHash = ''
    const upstream = await startUpstream(async (req, res) => {
      uploadHash = sha256(await readBody(req))
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size })
      let sent = 0
      const pump = (): void => {
        while (sent < size) {
          sent += block.length
          if (!res.write(block)) {
            res.once('drain', pump)
            return
          }
        }
        res.end()
      }
      pump()
    })
    const app = await startSpecter({ upstream })
    const res = await send(`${app.url}/big`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: upload,
    })
    expect(uploadHash).toBe(sha256(upload))
    expect(res.body.length).toBe(size)
    expect(sha256(res.body)).toBe(sha256(upload))
  }, 60_000)

  test('a chunked response without content-length stays chunked and complete', async () => {
    const parts = ['{"items":[', '{"id":1},', '{"id":2}', ']}']
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      for (const part of parts) res.write(part)
      res.end()
    })
    const app = await startSpecter({ upstream })
    const res = await send(`${app.url}/stream`)
    expect(res.headers['transfer-encoding']).toBe('chunked')
    expect(res.headers['content-length']).toBeUndefined()
    expect(res.body.toString()).toBe(parts.join(''))
  })

  test('a chunked request body is forwarded (framing is hop-by-hop, the bytes are not)', async () => {
    let received = ''
    const upstream = await startUpstream(async (req, res) => {
      received = (await readBody(req)).toString()
      res.end('ok')
    })
    const app = await startSpecter({ upstream })
    const { request } = await import('node:http')
    const res = await new Promise<number>((resolve, reject) => {
      const req = request(`${app.url}/upload`, { method: 'POST', agent: false }, (r) => {
        r.resume()
        r.on('end', () => resolve(r.statusCode ?? 0))
      })
      req.on('error', reject)
      req.write('{"part":')
      req.write('1}')
      req.end()
    })
    expect(res).toBe(200)
    expect(received).toBe('{"part":1}')
  })

  test.each(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'REPORT', 'SEARCH', 'PURGE'])(
    '%s is forwarded with its raw path and query',
    async (method) => {
      let seen = ''
      const upstream = await startUpstream((req, res) => {
        seen = `${req.method} ${req.url}`
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' })
        res.end(method === 'HEAD' ? undefined : 'ok')
      })
      const app = await startSpecter({ upstream })
      const target = '/a/b%2Fc/%7Bid%7D;v=1?b=2&a=1&a=%20x+y&empty=&flag'
      const res = await send(`${app.url}${target}`, { method })
      expect(res.status).toBe(200)
      expect(seen).toBe(`${method} ${target}`)
      expect(res.body.toString()).toBe(method === 'HEAD' ? '' : 'ok')
    },
  )

  test('a GET with a body is forwarded without it (RFC 9110 §9.3.1 gives it no meaning)', async () => {
    let seen = ''
    const upstream = await startUpstream(async (req, res) => {
      seen = `${req.headers['content-length'] ?? '-'} ${(await readBody(req)).length}`
      res.end('ok')
    })
    const app = await startSpecter({ upstream })
    const res = await send(`${app.url}/search`, {
      method: 'GET',
      // Node's client sends a GET body without framing unless told its length.
      headers: { 'content-type': 'application/json', 'content-length': '7' },
      body: '{"q":1}',
    })
    expect(res.body.toString()).toBe('ok')
    expect(res.status).toBe(200)
    expect(seen).toBe('- 0')
  })

  test('an upstream with a base path gets it prefixed to every request path', async () => {
    let seen = ''
    const upstream = await startUpstream((req, res) => {
      seen = req.url ?? ''
      res.end('ok')
    })
    const app = await startSpecter({ upstream: `${upstream}/api/v2` })
    await send(`${app.url}/users/7?x=1`)
    expect(seen).toBe('/api/v2/users/7?x=1')
  })

  test('statuses are passed through, and a 503 is not retried', async () => {
    let hits = 0
    const upstream = await startUpstream((req, res) => {
      hits++
      const status = Number(req.url?.slice(1))
      res.writeHead(status, { 'retry-after': '0' })
      res.end(status === 204 || status === 304 ? undefined : `status ${status}`)
    })
    const app = await startSpecter({ upstream })
    for (const status of [200, 204, 301, 304, 404, 418, 500, 503]) {
      const res = await send(`${app.url}/${status}`)
      expect(res.status).toBe(status)
    }
    expect(hits).toBe(8)
  })
})
