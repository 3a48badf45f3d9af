// observe must never throw, whatever the bytes, headers and target: a seeded random sweep over
// mutations of real bodies (bounded in count), checked for a well-formed observation.
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { expect, test } from 'vitest'
import { observe } from '../../src/capture/index.js'
import { copyOf, exchange } from './exchange-builder.js'

// Mulberry32: small, seeded, reproducible.
function prng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const seeds = [
  Buffer.from(JSON.stringify({ id: 1, name: 'ada', tags: ['a', 'b'], nested: { at: '2024-01-01T00:00:00Z' } })),
  Buffer.from('a=1&b=two&c=%20&d'),
  Buffer.from('--b\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n\r\ndata\r\n--b--\r\n'),
  Buffer.from('[[[{"__proto__":{"x":1}}]]]'),
]
const contentTypes = [
  'application/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=b',
  'multipart/form-data',
  'text/plain',
  'application/problem+json',
  ';;;',
  'application/json; charset="',
  undefined,
]
const encodings = [undefined, 'gzip', 'br', 'deflate', 'gzip, br', 'bogus', 'identity']

test('observe never throws on mutated bodies, headers and targets', () => {
  const rand = prng(20261123)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T
  for (let i = 0; i < 1500; i++) {
    let body = Buffer.from(pick(seeds))
    const mutations = Math.floor(rand() * 6)
    for (let m = 0; m < mutations && body.length > 0; m++) {
      const at = Math.floor(rand() * body.length)
      const op = rand()
      if (op < 0.4) body[at] = Math.floor(rand() * 256)
      else if (op < 0.7) body = body.subarray(0, at)
      else body = Buffer.concat([body.subarray(0, at), Buffer.from('{["\\\u00ff'), body.subarray(at)])
    }
    const encoding = pick(encodings)
    let wire = body
    if (encoding === 'gzip' && rand() < 0.8) wire = gzipSync(body)
    if (encoding === 'br' && rand() < 0.8) wire = brotliCompressSync(body)
    if (rand() < 0.3) wire = wire.subarray(0, Math.floor(rand() * wire.length))
    const contentType = pick(contentTypes)
    const headers: Record<string, string> = {}
    if (contentType !== undefined) headers['content-type'] = contentType
    if (encoding !== undefined) headers['content-encoding'] = encoding
    const ex = exchange({
      method: pick(['GET', 'post', 'PURGE', '', 'G\u0000T']),
      url: pick(['/a/1?x=%', '/%E0%A4%A', '*', 'http://h', '/?a=1&a=2&a=3', '//double//slash', '/a?b=c#d']),
      requestHeaders: {
        ...headers,
        cookie: pick(['', 'sid', '=x', 'a=b;;;c']),
        authorization: pick(['', ' ', 'Bearer', 'x y z']),
      },
      requestBody: copyOf(wire, Math.floor(rand() * (wire.length + 10)) + 1),
      responseHeaders: headers,
      responseBody: copyOf(wire),
      outcome: pick(['ok', 'aborted', 'upstream-error', 'upstream-timeout'] as const),
    })
    const obs = observe(ex, { wantExample: () => rand() < 0.5 })
    expect(obs.pathKey.startsWith('/')).toBe(true)
    expect(obs.clientKey).toMatch(/^[0-9a-f]{16}$/)
    expect(['none', 'json', 'form', 'multipart', 'text', 'binary', 'invalid']).toContain(obs.responseBody.kind)
    if (obs.example?.response !== undefined) expect(() => JSON.parse(obs.example?.response as string)).not.toThrow()
  }
})
