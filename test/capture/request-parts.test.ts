import { describe, expect, test } from 'vitest'
import { observe } from '../../src/capture/index.js'
import { exchange } from './exchange-builder.js'

describe('path and query', () => {
  test.each([
    ['/users/123/orders?limit=10', '/users/{int}/orders', [[1, '123']]],
    [
      '/v1/items/550e8400-e29b-41d4-a716-446655440000',
      '/v1/items/{uuid}',
      [[2, '550e8400-e29b-41d4-a716-446655440000']],
    ],
    ['http://api.example.test/users/42?x=1', '/users/{int}', [[1, '42']]],
    ['/search#fragment', '/search', []],
    ['http://api.example.test?x=1', '/', []],
    ['*', '/*', []],
    ['/', '/', []],
  ])('%s -> %s', (url, pathKey, values) => {
    const obs = observe(exchange({ url }))
    expect(obs.pathKey).toBe(pathKey)
    expect(obs.segmentValues).toEqual(values)
  })

  test.each([
    [`/reset/${'a1'.repeat(32)}`, '/reset/{hex}', []],
    [`/keys/${'a1'.repeat(16)}`, '/keys/{hex}', []],
    ['/objects/5f1a2b3c4d', '/objects/{hex}', [[1, '5f1a2b3c4d']]],
  ])('hex segment %s -> %s keeps %j (long hex reads as a key, not an id)', (url, pathKey, values) => {
    const obs = observe(exchange({ url }))
    expect(obs.pathKey).toBe(pathKey)
    expect(obs.segmentValues).toEqual(values)
  })

  test('overlong and overdeep paths are folded so the key stays bounded', () => {
    const deep = observe(exchange({ url: `/${Array.from({ length: 500 }, (_, i) => `s${i % 3}`).join('/')}` }))
    expect(deep.pathKey.split('/').length).toBeLessThanOrEqual(66)
    expect(deep.pathKey.endsWith('/{str}')).toBe(true)
    const long = observe(exchange({ url: `/a/${'x'.repeat(100_000)}` }))
    expect(long.pathKey.length).toBeLessThanOrEqual(2048)
  })

  test.each([
    ['12', 'int'],
    ['-3', 'int'],
    ['1.5', 'num'],
    ['2e3', 'int'],
    ['true', 'bool'],
    ['false', 'bool'],
    ['hello', 'str'],
    ['', 'str'],
    ['12abc', 'str'],
    ['2024-01-02', 'str'],
  ])('query value %j is typed %s', (value, kind) => {
    const obs = observe(exchange({ url: `/s?v=${encodeURIComponent(value)}` }))
    const v = obs.query.obj?.props.v
    expect(v?.[kind as 'int']).toBeTruthy()
  })

  test('query strings keep formats, repeat into arrays and decode names', () => {
    const obs = observe(exchange({ url: '/s?since=2024-01-02T03:04:05Z&id=1&id=2&na%20me=x&flag' }))
    const props = obs.query.obj?.props
    expect(props?.since?.str?.fmt).toEqual({ 'date-time': 1 })
    expect(props?.id?.arr?.maxLen).toBe(2)
    expect(props?.id?.arr?.items?.int).toBe(2)
    expect(Object.keys(props ?? {}).sort()).toEqual(['flag', 'id', 'na me', 'since'])
  })

  test('no query string gives an empty object shape', () => {
    const obs = observe(exchange({ url: '/plain' }))
    expect(obs.query.obj?.props).toEqual({})
  })

  test('malformed percent escapes do not throw', () => {
    const obs = observe(exchange({ url: '/s?%E0%A4%A=1&b=%zz' }))
    expect(Object.keys(obs.query.obj?.props ?? {}).length).toBe(2)
  })

  test('short plain values stay enum candidates, credential values never do', () => {
    const obs = observe(
      exchange({ url: '/s?sort=asc&api_key=abc&token=xyz&access_token=q1&key=k&auth=z&password=hunter2' }),
    )
    const props = obs.query.obj?.props
    expect(props?.sort?.str?.vals).toEqual({ asc: 1 })
    for (const name of ['api_key', 'token', 'access_token', 'key', 'auth', 'password']) {
      expect(props?.[name]?.str?.vals ?? null).toBeNull()
    }
  })
})

describe('headers', () => {
  const obs = observe(
    exchange({
      requestHeaders: {
        'content-type': 'multipart/form-data; boundary=----x9',
        accept: 'application/json',
        authorization: 'Bearer s3cr3t-t0ken-value',
        cookie: 'sid=abc123; theme=dark',
        'x-api-key': 'k-123456',
        'x-request-id': '550e8400-e29b-41d4-a716-446655440000',
        'user-agent': 'curl/8.0',
        'x-custom-token-thing': 'zzz',
      },
      responseHeaders: {
        'content-type': 'application/json; charset=utf-8',
        'set-cookie': ['session=deadbeef; HttpOnly', 'other=1'],
        'cache-control': 'no-store',
        etag: '"abc"',
      },
    }),
  )

  test('names are recorded, lower-cased', () => {
    expect(Object.keys(obs.requestHeaders.obj?.props ?? {}).sort()).toEqual([
      'accept',
      'authorization',
      'content-type',
      'cookie',
      'host',
      'user-agent',
      'x-api-key',
      'x-custom-token-thing',
      'x-request-id',
    ])
    expect(Object.keys(obs.responseHeaders.obj?.props ?? {}).sort()).toEqual([
      'cache-control',
      'content-type',
      'etag',
      'set-cookie',
    ])
  })

  test.each([
    ['request', 'accept', { 'application/json': 1 }],
    ['request', 'content-type', { 'multipart/form-data': 1 }],
    ['response', 'content-type', { 'application/json': 1 }],
    ['response', 'cache-control', { 'no-store': 1 }],
    ['request', 'authorization', null],
    ['request', 'cookie', null],
    ['request', 'x-api-key', null],
    ['request', 'x-custom-token-thing', null],
    ['request', 'user-agent', null],
    ['request', 'x-request-id', null],
    ['response', 'set-cookie', null],
    ['response', 'etag', null],
  ])('%s %s values: %j', (side, name, vals) => {
    const shape = side === 'request' ? obs.requestHeaders : obs.responseHeaders
    expect(shape.obj?.props[name]?.str?.vals).toEqual(vals)
  })

  test('only allow-listed header values appear anywhere', () => {
    const text = JSON.stringify(obs)
    for (const secret of ['s3cr3t', 'abc123', 'dark', 'k-123456', 'deadbeef', 'curl', 'zzz', '"abc"', 'x9']) {
      expect(text).not.toContain(secret)
    }
  })

  test('the number of header names per message is capped and the rest counted', () => {
    const many: Record<string, string> = {}
    for (let i = 0; i < 5000; i++) many[`x-h-${i}`] = 'v'
    const o = observe(exchange({ requestHeaders: many }), { maxHeaderNames: 64 })
    expect(Object.keys(o.requestHeaders.obj?.props ?? {}).length).toBe(64)
    expect(o.requestHeaders.obj?.restKeys).toBe(5001 - 64)
  })

  test('invalid header names are counted, not kept', () => {
    const o = observe(exchange({ requestHeaders: { 'bad name{}': 'v', ['x'.repeat(200)]: 'v' } }))
    expect(Object.keys(o.requestHeaders.obj?.props ?? {})).toEqual(['host'])
    expect(o.requestHeaders.obj?.restKeys).toBe(2)
  })
})

describe('host and method', () => {
  test.each([
    ['API.Example.TEST:8443', 'api.example.test:8443'],
    ['[::1]:80', '[::1]:80'],
    ['evil<script>', ''],
  ])('host %j -> %j', (host, expected) => {
    expect(observe(exchange({ requestHeaders: { host } })).host).toBe(expected)
  })

  test('odd methods are kept when token-like, else OTHER', () => {
    expect(observe(exchange({ method: 'propfind' })).method).toBe('PROPFIND')
    expect(observe(exchange({ method: 'G E T' })).method).toBe('OTHER')
  })
})

describe('auth facts', () => {
  test.each([
    [{ authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig' }, '/', ['bearer']],
    [{ authorization: 'Basic dXNlcjpwYXNz' }, '/', ['basic']],
    [{ authorization: 'Digest username="u", realm="r"' }, '/', ['digest']],
    [{ authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/x' }, '/', ['aws4-hmac-sha256']],
    [{ authorization: 'Custom abc' }, '/', ['custom']],
    // A bare token: the value must not be mistaken for a scheme name.
    [{ authorization: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc' }, '/', ['authorization']],
    [{ authorization: 'Zx9Kq2LmP0aB7cD4eF6gH8iJ rest' }, '/', ['other']],
    [{ 'x-api-key': 'k' }, '/', ['header:x-api-key']],
    [{ 'api-key': 'k' }, '/', ['header:api-key']],
    [{ 'x-auth-token': 'k' }, '/', ['header:x-auth-token']],
    [{ 'x-access-token': 'k' }, '/', ['header:x-access-token']],
    [{ 'x-csrf-token': 'k' }, '/', []],
    [{}, '/x?api_key=k', ['query:api_key']],
    [{}, '/x?access_token=k&page=2', ['query:access_token']],
    [{}, '/x?apikey=k&token=t', ['query:apikey', 'query:token']],
    [{ cookie: 'sid=1; theme=dark' }, '/', ['cookie:sid']],
    [
      { cookie: 'connect.sid=s%3Aabc; JSESSIONID=x; PHPSESSID=y; myapp_session=z; auth_token=q' },
      '/',
      ['cookie:auth_token', 'cookie:connect.sid', 'cookie:jsessionid', 'cookie:myapp_session', 'cookie:phpsessid'],
    ],
    [{ cookie: 'theme=dark; lang=en' }, '/', []],
    [{}, '/', []],
  ])('%j %s -> %j', (headers, url, facts) => {
    expect(observe(exchange({ url, requestHeaders: headers })).auth).toEqual(facts)
  })
})

describe('client key', () => {
  const key = (init: Parameters<typeof exchange>[0], salt = 'salt-1') =>
    observe(exchange(init), { clientKeySalt: salt }).clientKey

  test('is 16 hex characters', () => {
    expect(key({})).toMatch(/^[0-9a-f]{16}$/)
  })

  test('one credential is one client across addresses; different credentials differ', () => {
    const a1 = key({ requestHeaders: { authorization: 'Bearer token-a' }, clientAddress: '10.0.0.1' })
    const a2 = key({ requestHeaders: { authorization: 'Bearer token-a' }, clientAddress: '10.0.0.2' })
    const b = key({ requestHeaders: { authorization: 'Bearer token-b' }, clientAddress: '10.0.0.1' })
    expect(a1).toBe(a2)
    expect(a1).not.toBe(b)
  })

  test('falls back to the client address, and depends on the salt', () => {
    expect(key({ clientAddress: '10.0.0.1' })).toBe(key({ clientAddress: '10.0.0.1' }))
    expect(key({ clientAddress: '10.0.0.1' })).not.toBe(key({ clientAddress: '10.0.0.2' }))
    expect(key({ clientAddress: '10.0.0.1' }, 'salt-2')).not.toBe(key({ clientAddress: '10.0.0.1' }))
  })

  test.each([
    [{ requestHeaders: { 'x-api-key': 'key-1' } }, { requestHeaders: { 'x-api-key': 'key-2' } }],
    [{ url: '/?api_key=key-1' }, { url: '/?api_key=key-2' }],
    [{ requestHeaders: { cookie: 'sid=one' } }, { requestHeaders: { cookie: 'sid=two' } }],
  ])('API keys, query credentials and session cookies identify the client', (a, b) => {
    expect(key({ ...a, clientAddress: '10.0.0.1' })).toBe(key({ ...a, clientAddress: '10.0.0.9' }))
    expect(key(a)).not.toBe(key(b))
  })
})
