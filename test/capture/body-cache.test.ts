import { expect, test } from 'vitest'
import { BodyCache, MISS_STREAK, PROBE_EVERY } from '../../src/capture/body-cache.js'
import { observe } from '../../src/capture/index.js'
import { memoPathKeyOf } from '../../src/capture/observe.js'
import { pathKeyOf } from '../../src/infer/index.js'
import { copyOf, exchange } from './exchange-builder.js'

const json = { 'content-type': 'application/json' }
const get = (path: string, body: string) => exchange({ url: path, responseHeaders: json, responseBody: copyOf(body) })

test('identical bodies share one summary; an endpoint whose bodies keep differing skips the lookup, with the same result', () => {
  const cache = new BodyCache()
  const same = '{"id":1,"name":"ada"}'
  const a = observe(get('/a', same), {}, cache)
  const b = observe(get('/a', same), {}, cache)
  expect(b.responseBody).toBe(a.responseBody)

  // Every body of /items differs: after MISS_STREAK misses only one in PROBE_EVERY is looked up.
  const total = MISS_STREAK + 4 * PROBE_EVERY
  for (let i = 0; i < total; i++) {
    const ex = get('/items', `{"id":${i},"at":"2026-01-0${1 + (i % 9)}"}`)
    expect(observe(ex, {}, cache).responseBody).toEqual(observe(ex).responseBody)
  }
  expect(cache.skipped).toBeGreaterThanOrEqual(4 * (PROBE_EVERY - 1))
  // Another endpoint is not affected.
  const hitsBefore = cache.hits
  observe(get('/a', same), {}, cache)
  expect(cache.hits).toBe(hitsBefore + 1)

  // When /items starts repeating itself, a probe finds it and lookups resume.
  const repeated = '{"id":7,"at":"2026-01-01"}'
  for (let i = 0; i < 2 * PROBE_EVERY + 1; i++) observe(get('/items', repeated), {}, cache)
  const skippedBefore = cache.skipped
  const h = cache.hits
  observe(get('/items', repeated), {}, cache)
  observe(get('/items', repeated), {}, cache)
  expect(cache.skipped).toBe(skippedBefore)
  expect(cache.hits).toBe(h + 2)
})

test('path keys remembered by digit-folded path equal the classifier, ids and prefixes included', () => {
  const paths = [
    '/users/1',
    '/users/0/orders/77',
    '/2024/reports',
    '/v1/2024/orders/3',
    '/api/12345678901234567890/x',
    '/api/123456789012345678901/x',
    '/orders/0042',
    '/orders/2024-01-02/items/9',
    '/a//5/',
    '/7',
    '/files/12.json',
    '/users/5f1b2c3d4e5f6a7b8c9d0e1f/7',
    '/users/123e4567-e89b-12d3-a456-426614174000/9',
  ]
  for (const round of [0, 1, 2]) {
    for (const p of paths) {
      const path = p.replace(/\/[0-9]{1,20}(?=\/|$)/g, (m) => `/${Number(m.slice(1)) + round}`)
      expect(memoPathKeyOf(path)).toEqual(pathKeyOf(path))
    }
  }
})

test('a remembered query shape gives the same observation; queries with credentials are never remembered', () => {
  const cache = new BodyCache()
  const cases = [
    exchange({ url: '/a?expand=items&page=2' }),
    exchange({ url: '/a?expand=items&page=2', requestHeaders: { authorization: 'Bearer x', 'x-api-key': 'k' } }),
    exchange({ url: '/a?api_key=s3cret&page=2' }),
    exchange({ url: '/a?api_key=other&page=2', requestHeaders: { authorization: 'Bearer y' } }),
    exchange({ url: '/a?expand=items&page=2', requestHeaders: { cookie: 'sid=1' } }),
  ]
  for (let round = 0; round < 2; round++) {
    for (const ex of cases) {
      const cached = observe(ex, {}, cache)
      const plain = observe(ex)
      expect(cached.query).toEqual(plain.query)
      expect(cached.auth).toEqual(plain.auth)
      expect(cached.clientKey).toBe(plain.clientKey)
    }
  }
  expect(cache.queryShape('expand=items&page=2')).toBeDefined()
  expect(cache.queryShape('api_key=s3cret&page=2')).toBeUndefined()
})
