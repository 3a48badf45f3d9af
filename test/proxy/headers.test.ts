import type { IncomingHttpHeaders } from 'node:http'
import { describe, expect, test } from 'vitest'
import { send } from '../helpers/http-client.js'
import { startSpecter } from '../helpers/start-specter.js'
import { startUpstream } from '../helpers/upstream.js'

function namesOf(rawHeaders: string[]): string[] {
  return rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase())
}

describe('headers', () => {
  test('end-to-end headers are preserved both ways, including repeated Set-Cookie', async () => {
    let seen: IncomingHttpHeaders = {}
    const upstream = await startUpstream((req, res) => {
      seen = req.headers
      res.setHeader('set-cookie', ['a=1; Path=/; HttpOnly', 'b=2; Path=/; Secure', 'c=3'])
      res.setHeader('x-custom', 'Value With  Spaces')
      res.setHeader('cache-control', 'private, max-age=0')
      res.setHeader('etag', '"abc"')
      res.setHeader('content-type', 'text/plain; charset=utf-8')
      res.end('ok')
    })
    const app = await startSpecter({ upstream })
    const res = await send(`${app.url}/h`, {
      headers: {
        authorization: 'Bearer abc.def.ghi',
        cookie: 'sid=1; theme=dark',
        'x-request-id': 'r-1',
        accept: 'application/json, text/plain;q=0.5',
        'user-agent': 'specter-test/1',
        'if-none-match': '"abc"',
      },
    })
    expect(seen['authorization']).toBe('Bearer abc.def.ghi')
    expect(seen['cookie']).toBe('sid=1; theme=dark')
    expect(seen['x-request-id']).toBe('r-1')
    expect(seen['accept']).toBe('application/json, text/plain;q=0.5')
    expect(seen['user-agent']).toBe('specter-test/1')
    expect(seen['if-none-match']).toBe('"abc"')
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Path=/; Secure', 'c=3'])
    expect(res.headers['x-custom']).toBe('Value With  Spaces')
    expect(res.headers['cache-control']).toBe('private, max-age=0')
    expect(res.headers['etag']).toBe('"abc"')
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8')
  })

  test('hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded in either direction', async () => {
    let seenNames: string[] = []
    const upstream = await startUpstream((req, res) => {
      seenNames = namesOf(req.rawHeaders)
      res.writeHead(200, {
        connection: 'Keep-Alive, X-Upstream-Hop',
        'x-upstream-hop': 'for the proxy only',
        'keep-alive': 'timeout=1',
        'proxy-connection': 'keep-alive',
        'x-end-to-end': 'kept',
        'content-length': '2',
      })
      res.end('ok')
    })
    const app = await startSpecter({ upstream })
    const res = await send(`${app.url}/hop`, {
      headers: {
        connection: 'keep-alive, x-client-hop',
        'x-client-hop': 'for the proxy only',
        'keep-alive': 'timeout=5',
        'proxy-connection': 'keep-alive',
        te: 'trailers',
        'x-end-to-end': 'kept',
      },
    })
    expect(res.status).toBe(200)
    for (const name of ['x-client-hop', 'keep-alive', 'proxy-connection', 'te']) expect(seenNames).not.toContain(name)
    expect(seenNames).toContain('x-end-to-end')
    const names = namesOf(res.rawHeaders)
    expect(names).not.toContain('x-upstream-hop')
    expect(names).not.toContain('proxy-connection')
    // The proxy's own connection management, not the upstream's timeout=1.
    expect(res.headers['keep-alive']).not.toBe('timeout=1')
    expect(res.headers['x-end-to-end']).toBe('kept')
  })

  test('Expect: 100-continue is answered by the proxy and the body forwarded', async () => {
    let received = ''
    let expectSeen: string | undefined = 'unset'
    const upstream = await startUpstream((req, res) => {
      expectSeen = req.headers['expect']
      let body = ''
      req.on('data', (c) => {
        body += c
      })
      req.on('end', () => {
        received = body
        res.end('done')
      })
    })
    const app = await startSpecter({ upstream })
    const { request } = await import('node:http')
    const result = await new Promise<{ status: number; body: string; continued: boolean }>((resolve, reject) => {
      let continued = false
      const req = request(`${app.url}/upload`, {
        method: 'POST',
        agent: false,
        headers: { expect: '100-continue', 'content-type': 'application/json', 'content-length': '9' },
      })
      req.on('continue', () => {
        continued = true
        req.end('{"a":[1]}')
      })
      req.on('response', (res) => {
        let body = ''
        res.on('data', (c) => {
          body += c
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, continued }))
      })
      req.on('error', reject)
    })
    expect(result).toEqual({ status: 200, body: 'done', continued: true })
    expect(received).toBe('{"a":[1]}')
    expect(expectSeen).toBeUndefined()
  })

  describe('X-Forwarded-*', () => {
    async function forwardedSeen(mode: 'append' | 'replace' | 'off', headers: Record<string, string>) {
      let seen: IncomingHttpHeaders = {}
      const upstream = await startUpstream((req, res) => {
        seen = req.headers
        res.end()
      })
      const app = await startSpecter({ upstream, config: { proxy: { xForwarded: mode } } })
      await send(`${app.url}/`, { headers })
      return { seen, proxyHost: new URL(app.url).host, upstreamHost: new URL(upstream).host }
    }

    test('append: adds the client address after any earlier hops and keeps proto/host when set', async () => {
      const { seen, proxyHost, upstreamHost } = await forwardedSeen('append', {})
      expect(seen['x-forwarded-for']).toBe('127.0.0.1')
      expect(seen['x-forwarded-proto']).toBe('http')
      expect(seen['x-forwarded-host']).toBe(proxyHost)
      expect(seen['host']).toBe(upstreamHost)
      const chained = await forwardedSeen('append', {
        'x-forwarded-for': '203.0.113.7',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'api.example.com',
      })
      expect(chained.seen['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1')
      expect(chained.seen['x-forwarded-proto']).toBe('https')
      expect(chained.seen['x-forwarded-host']).toBe('api.example.com')
    })

    test('replace: drops what the client claimed', async () => {
      const { seen, proxyHost } = await forwardedSeen('replace', {
        'x-forwarded-for': '203.0.113.7',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'spoofed.example.com',
      })
      expect(seen['x-forwarded-for']).toBe('127.0.0.1')
      expect(seen['x-forwarded-proto']).toBe('http')
      expect(seen['x-forwarded-host']).toBe(proxyHost)
    })

    test('off: forwards the client headers untouched and adds none', async () => {
      const none = await forwardedSeen('off', {})
      expect(none.seen['x-forwarded-for']).toBeUndefined()
      expect(none.seen['x-forwarded-proto']).toBeUndefined()
      expect(none.seen['x-forwarded-host']).toBeUndefined()
      const given = await forwardedSeen('off', { 'x-forwarded-for': '203.0.113.7' })
      expect(given.seen['x-forwarded-for']).toBe('203.0.113.7')
    })
  })
})
