import { statSync } from 'node:fs'
import { expect, test } from 'vitest'
import { shapeOf } from '../../src/infer/index.js'
import { OVERFLOW_CONTENT_TYPE, OVERFLOW_PATH_KEY, openStore, type StoreLimits } from '../../src/store/index.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { observation, realisticTraffic } from './observations.js'

const WORDS = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa'.split(
  ' ',
)

function rowCounts(store: ReturnType<typeof openStore>) {
  return store.stats().rows
}

function open(limits: Partial<StoreLimits> = {}) {
  const store = openStore({ path: tempDbPath(), limits })
  return store
}

test('10,000 observations over 10 endpoints leave a small, bounded number of rows', () => {
  const store = open()
  const traffic = realisticTraffic(20_000)
  for (let i = 0; i < 10_000; i += 500) store.record(traffic.slice(i, i + 500))
  const after10k = rowCounts(store)
  expect(after10k['endpoint']).toBe(10)
  // one row per (endpoint, status, outcome, content types): 10 endpoints, a few error statuses
  expect(after10k['exchange']).toBeLessThanOrEqual(15)
  expect(after10k['segment_sample']).toBe(6)
  store.database.pragma('wal_checkpoint(TRUNCATE)')
  const bytes10k = statSync(store.path).size
  expect(bytes10k).toBeLessThan(256 * 1024)
  for (let i = 10_000; i < 20_000; i += 500) store.record(traffic.slice(i, i + 500))
  expect(rowCounts(store)).toEqual(after10k)
  const inv = store.inventory()
  expect(inv.endpoints.reduce((n, e) => n + e.count, 0)).toBe(20_000)
  const users = inv.endpoints.find((e) => e.method === 'GET' && e.pathKey === '/users/{int}')
  expect(users?.count).toBe(2000)
  expect(users?.segments[0]?.values.length).toBe(64)
  expect(users?.segments[0]?.distinct).toBeGreaterThan(1000)
  store.close()
})

test('presence counts tell required from optional fields', () => {
  const store = open()
  store.record([
    observation({ path: '/u', responseBody: { id: 1, nick: 'a' } }),
    observation({ path: '/u', responseBody: { id: 2 } }),
    observation({ path: '/u', responseBody: { id: 3, nick: null } }),
  ])
  store.record([observation({ path: '/u', responseBody: { id: 4 } })])
  const body = store.inventory().endpoints[0]?.exchanges[0]?.responseBody
  expect(body?.obj?.n).toBe(4)
  expect(body?.obj?.props['id']?.n).toBe(4)
  expect(body?.obj?.props['nick']?.n).toBe(2)
  expect(body?.obj?.props['nick']?.nul).toBe(1)
  store.close()
})

test('aggregates counts per status, auth facts, body kinds and durations', () => {
  const store = open()
  store.record([
    observation({ path: '/a', status: 200, auth: ['bearer'], durationMs: 1.5, timeMs: 10 }),
    observation({ path: '/a', status: 200, auth: [], durationMs: 2.25, timeMs: 30 }),
    observation({ path: '/a', status: 500, durationMs: 10, timeMs: 20 }),
  ])
  const [ep] = store.inventory().endpoints
  expect(ep?.count).toBe(3)
  expect([ep?.firstSeenMs, ep?.lastSeenMs]).toEqual([10, 30])
  const ok = ep?.exchanges.find((e) => e.status === 200)
  expect(ok?.count).toBe(2)
  expect({ ...ok?.auth }).toEqual({ bearer: 1, none: 1 })
  expect(ok?.durationMsSum).toBe(3.75)
  expect(ok?.durationMsMax).toBe(2.25)
  expect({ ...ok?.responseKinds }).toEqual({ none: 2 })
  expect(ep?.exchanges.map((e) => e.status)).toEqual([200, 500])
  store.close()
})

test('recording the same batch again (a retry) adds it again and nothing else', () => {
  const store = open()
  const batch = realisticTraffic(200)
  store.record(batch)
  const once = store.inventory()
  store.record(batch)
  const twice = store.inventory()
  expect(twice.endpoints.map((e) => e.count)).toEqual(once.endpoints.map((e) => e.count * 2))
  store.close()
})

test('literal siblings beyond the cap fold into {str}, keeping the smallest, with overflow counted', () => {
  const store = open({ maxLiteralSiblings: 4 })
  // Newest-first order makes every kept literal get pushed out at some point.
  for (const w of [...WORDS].reverse()) {
    store.record([observation({ path: `/files/${w}` }), observation({ path: `/files/${w}/meta` })])
  }
  const inv = store.inventory()
  const keys = inv.endpoints.map((e) => e.pathKey)
  expect(keys).toEqual([
    '/files/alpha',
    '/files/alpha/meta',
    '/files/bravo',
    '/files/bravo/meta',
    '/files/charlie',
    '/files/charlie/meta',
    '/files/delta',
    '/files/delta/meta',
    '/files/{str}',
    '/files/{str}/meta',
  ])
  const folded = inv.endpoints.find((e) => e.pathKey === '/files/{str}')
  expect(folded?.count).toBe(WORDS.length - 4)
  expect(inv.overflow['pathSegments']).toBe(2 * (WORDS.length - 4))
  expect(store.stats().rows['path_literal']).toBeLessThanOrEqual(1 + 4 + 4 + 1)
  store.close()
})

test('endpoints beyond the cap fold into the per-method overflow endpoint', () => {
  const store = open({ maxEndpoints: 3 })
  store.record(WORDS.slice(0, 6).map((w) => observation({ path: `/${w}`, method: 'GET' })))
  store.record([observation({ path: '/alpha', method: 'GET' }), observation({ path: '/zulu', method: 'POST' })])
  const inv = store.inventory()
  expect(inv.endpoints.map((e) => `${e.method} ${e.pathKey} ${e.count}`)).toEqual([
    'GET /alpha 2',
    'GET /bravo 1',
    'GET /charlie 1',
    `GET ${OVERFLOW_PATH_KEY} 3`,
    `POST ${OVERFLOW_PATH_KEY} 1`,
  ])
  expect(inv.overflow['endpoints']).toBe(4)
  // the overflow endpoints keep their exchanges (shapes and counts are not lost)
  expect(inv.endpoints.find((e) => e.method === 'POST')?.exchanges[0]?.count).toBe(1)
  store.close()
})

test('hosts and content types per endpoint are capped, the rest counted', () => {
  const store = open({ maxHostsPerEndpoint: 2, maxContentTypesPerEndpoint: 2 })
  const types = ['application/json', 'application/xml', 'text/plain', 'text/csv']
  store.record(types.map((t, i) => observation({ path: '/x', host: `h${3 - i}.test`, responseContentType: t })))
  store.record([observation({ path: '/x', host: 'h0.test', responseContentType: 'application/aaa' })])
  const [ep] = store.inventory().endpoints
  expect(ep?.hosts).toEqual(['h0.test', 'h1.test'])
  expect(ep?.exchanges.map((e) => e.responseContentType)).toEqual([
    'application/aaa',
    'application/json',
    OVERFLOW_CONTENT_TYPE,
  ])
  const inv = store.inventory()
  // h3 and h2 are beyond the cap: one observation each; h0 was seen twice and is kept
  expect(inv.overflow['hosts']).toBe(2)
  expect(inv.overflow['contentTypes']).toBe(3)
  store.close()
})

test('keeps the earliest examples per status, and stops asking for more once full', () => {
  const store = open({ examplesPerStatus: 2 })
  const ex = (timeMs: number, status = 200) =>
    observation({ path: '/e', status, timeMs, example: { response: `{"t":${timeMs}}` } })
  store.record([ex(50), ex(40)])
  expect(store.wantsExample('GET', '/e', 200)).toBe(false)
  expect(store.wantsExample('GET', '/e', 404)).toBe(true)
  store.record([ex(10), ex(60), ex(5, 404)])
  const [ep] = store.inventory().endpoints
  expect(ep?.examples.map((e) => [e.status, e.timeMs])).toEqual([
    [200, 10],
    [200, 40],
    [404, 5],
  ])
  store.close()
})

test('keys such as __proto__ and constructor are stored and read back as plain data', () => {
  const store = open()
  const hostile = JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":1},"ok":true}') as unknown
  store.record([
    observation({ path: '/p', responseBody: hostile, requestHeaders: JSON.parse('{"__proto__":1}') as never }),
    observation({ path: '/p', responseBody: hostile, auth: ['header:__proto__'] }),
  ])
  const ex = store.inventory().endpoints[0]?.exchanges[0]
  expect(Object.keys(ex?.responseBody?.obj?.props ?? {})).toEqual(['__proto__', 'constructor', 'ok'])
  expect(ex?.auth['header:__proto__']).toBe(1)
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  expect(shapeOf({}).obj?.props['polluted' as never]).toBeUndefined()
  store.close()
})

test('a malformed observation is folded into safe values, never a batch that fails on every retry', () => {
  const store = open()
  const bad = {
    ...observation({ path: '/x/1' }),
    status: Number.NaN,
    segmentValues: [
      [-1, 'a'],
      [0, 'x'.repeat(1000)],
    ],
  }
  store.record([bad as never, observation({ path: '/x/2' })])
  const [ep] = store.inventory().endpoints
  expect(ep?.count).toBe(2)
  expect(ep?.exchanges.map((e) => e.status)).toEqual([0, 200])
  expect(ep?.segments).toEqual([{ index: 1, values: ['2'], distinct: 1 }])
  store.close()
})

test('the "examples full" hints stay bounded under a stream of new paths: the oldest are forgotten, none is wrong', () => {
  const store = open({ examplesPerStatus: 1, maxEndpoints: 20_000, maxLiteralSiblings: 1_000 })
  const ex = (path: string) => observation({ path, timeMs: 1, example: { response: '{"a":1}' } })
  store.record([ex('/first')])
  expect(store.wantsExample('GET', '/first', 200)).toBe(false)
  // 10,010 more endpoints with their example fill the hint set.
  // Letters only (a segment with digits in it would be folded into a parameter), 101 children at most per parent.
  const letters = (n: number) => n.toString(26).replace(/[0-9]/g, (d) => 'qrstuvwxyz'[Number(d)] as string)
  const word = (n: number) => `/w${letters(n % 100)}/w${letters(Math.floor(n / 100))}`
  for (let b = 0; b < 10; b++) store.record(Array.from({ length: 1_001 }, (_, i) => ex(word(b * 1_001 + i))))
  expect(store.wantsExample('GET', word(10_009), 200)).toBe(false)
  // The next write finds more than 10,000 hints: it empties the set before noting its own.
  store.record([ex(word(20_000))])
  expect(store.wantsExample('GET', word(20_000), 200)).toBe(false)
  expect(store.wantsExample('GET', '/first', 200)).toBe(true)
  expect(store.wantsExample('GET', word(10_009), 200)).toBe(true)
  // Asked again, /first's extra example is not kept: the store, not the hint, decides.
  store.record([observation({ path: '/first', timeMs: 2, example: { response: '{"b":2}' } })])
  const first = store.inventory().endpoints.find((e) => e.pathKey === '/first')
  expect(first?.examples.map((e) => e.timeMs)).toEqual([1])
  store.close()
})

test('the sibling cap keeps the smallest literals by code point, as merges do, beyond the BMP too', () => {
  const store = open({ maxLiteralSiblings: 2 })
  // UTF-16 order would put U+1F600 (a surrogate pair, 0xD83D...) before U+FF5E; code points do not.
  for (const seg of ['a', '\u{1F600}', '\uFF5E']) store.record([observation({ path: `/${seg}/x` })])
  const keys = store
    .inventory()
    .endpoints.map((e) => e.pathKey)
    .sort()
  expect(keys).toEqual(['/a/x', '/{str}/x', '/\uFF5E/x'].sort())
  store.record([observation({ path: '/\u{1F600}/x' })])
  expect(store.inventory().endpoints.find((e) => e.pathKey === '/{str}/x')?.count).toBe(2)
  store.close()
})

test('a batch that changes more rows than the row cache holds writes every one of them', () => {
  const store = open({ maxEndpoints: 2_000, maxLiteralSiblings: 1_000 })
  const letters = (n: number) => n.toString(26).replace(/[0-9]/g, (d) => 'qrstuvwxyz'[Number(d)] as string)
  const paths = Array.from({ length: 700 }, (_, i) => `/p${letters(i % 10)}/q${letters(Math.floor(i / 10))}`)
  // Round 1 inserts the 700 rows; rounds 2 and 3 update them, 700 > the 512 cached rows.
  for (let round = 1; round <= 3; round++) {
    store.record(paths.map((path) => observation({ path, timeMs: round })))
  }
  // One more batch that touches every row twice, and a row evicted from the cache in between.
  store.record([...paths, ...paths].map((path) => observation({ path, timeMs: 4 })))
  const counts = store.inventory().endpoints.map((e) => e.exchanges.reduce((n, x) => n + x.count, 0))
  expect(counts.length).toBe(700)
  expect(new Set(counts)).toEqual(new Set([5]))
  expect(store.inventory().endpoints.every((e) => e.lastSeenMs === 4)).toBe(true)
  store.close()
})
