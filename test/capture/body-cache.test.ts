import { expect, test } from 'vitest'
import { BodyCache, MISS_STREAK, PROBE_EVERY } from '../../src/capture/body-cache.js'
import { observe } from '../../src/capture/index.js'
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
