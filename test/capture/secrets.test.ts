// Planted credentials must never appear in an observation: not in shapes, enum candidates,
// facts, examples or keys. Each case plants a distinctive value and searches the JSON text.
import { gzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { type Exchange, observe } from '../../src/capture/index.js'
import { copyOf, exchange } from './exchange-builder.js'

const SECRET = 'Pl4ntedS3cret'

function allText(ex: Exchange): string {
  // wantExample: the redacted examples must be clean too.
  return JSON.stringify(observe(ex, { wantExample: () => true, clientKeySalt: 'salt' }))
}

const cases: Array<[string, Exchange]> = [
  ['Authorization bearer', exchange({ requestHeaders: { authorization: `Bearer ${SECRET}` } })],
  [
    'Authorization basic',
    exchange({ requestHeaders: { authorization: `Basic ${Buffer.from(`ada:${SECRET}`).toString('base64')}` } }),
  ],
  ['Authorization bare token', exchange({ requestHeaders: { authorization: SECRET } })],
  ['Authorization scheme-looking token', exchange({ requestHeaders: { authorization: `${SECRET} x` } })],
  ['Proxy-Authorization', exchange({ requestHeaders: { 'proxy-authorization': `Basic ${SECRET}` } })],
  ['Cookie', exchange({ requestHeaders: { cookie: `sid=${SECRET}; theme=${SECRET}` } })],
  ['Set-Cookie', exchange({ responseHeaders: { 'set-cookie': [`session=${SECRET}; HttpOnly`, `x=${SECRET}`] } })],
  ['X-Api-Key', exchange({ requestHeaders: { 'x-api-key': SECRET } })],
  ['X-Auth-Token', exchange({ requestHeaders: { 'x-auth-token': SECRET } })],
  ['a custom header', exchange({ requestHeaders: { 'x-whatever': SECRET } })],
  ['?api_key=', exchange({ url: `/items?api_key=${SECRET}` })],
  ['?token= (short)', exchange({ url: '/items?token=abc' })],
  ['?access_token=', exchange({ url: `/items?access_token=${SECRET}&page=1` })],
  ['?signature=', exchange({ url: `/download?signature=${SECRET}&expires=1` })],
  [
    'JSON password fields',
    exchange({
      method: 'POST',
      requestHeaders: { 'content-type': 'application/json' },
      requestBody: copyOf(
        JSON.stringify({ user: 'ada', password: SECRET, pass: SECRET, pwd: SECRET, nested: { secret: SECRET } }),
      ),
    }),
  ],
  [
    'form password fields',
    exchange({
      method: 'POST',
      requestHeaders: { 'content-type': 'application/x-www-form-urlencoded' },
      requestBody: copyOf(`username=ada&password=${SECRET}&pin=1234`),
    }),
  ],
  [
    'tokens in a response body',
    exchange({
      responseHeaders: { 'content-type': 'application/json' },
      responseBody: copyOf(
        JSON.stringify({
          access_token: SECRET,
          refresh_token: 'short',
          id_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefgh',
          opaque: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
          token_type: 'bearer',
        }),
      ),
    }),
  ],
  [
    'tokens in a gzipped response body',
    exchange({
      responseHeaders: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      responseBody: copyOf(gzipSync(JSON.stringify({ data: { apiKey: SECRET, sessionId: SECRET } }))),
    }),
  ],
  [
    'credentials and e-mail addresses as JSON keys of a map',
    exchange({
      responseHeaders: { 'content-type': 'application/json' },
      responseBody: copyOf(
        JSON.stringify({
          sessions: { sk_live_4eC39HqLyjWDarjtT1zdp7dc: { ok: true }, [`${SECRET}0000`]: { ok: false } },
          byEmail: { [`${SECRET}@example.com`]: 1 },
        }),
      ),
    }),
  ],
  [
    'multipart values',
    exchange({
      method: 'POST',
      requestHeaders: { 'content-type': 'multipart/form-data; boundary=zz' },
      requestBody: copyOf(`--zz\r\nContent-Disposition: form-data; name="password"\r\n\r\n${SECRET}\r\n--zz--\r\n`),
    }),
  ],
  ['a credential path segment value', exchange({ url: `/reset/${'ab12'.repeat(16)}` })],
]

describe('planted secrets never reach the observation', () => {
  test.each(cases)('%s', (_name, ex) => {
    const text = allText(ex)
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain(SECRET.toLowerCase())
    expect(text).not.toContain(Buffer.from(`ada:${SECRET}`).toString('base64'))
    expect(text).not.toContain('sk_live_4eC39HqLyjWDarjtT1zdp7dc')
    expect(text).not.toContain('eyJhbGciOiJIUzI1NiJ9')
    expect(text).not.toContain('ab12ab12ab12')
  })

  test('short credential values are withheld too (not enum candidates)', () => {
    const text = allText(exchange({ url: '/items?token=abc&key=xyz' }))
    expect(text).not.toMatch(/"abc"|"xyz"/)
  })

  test('a plain short token value under a neutral key may stay an enum candidate', () => {
    // The control for the cases above: enum candidates exist, so their absence means something.
    const obs = observe(exchange({ url: '/items?status=active' }))
    expect(obs.query.obj?.props.status?.str?.vals).toEqual({ active: 1 })
  })
})
