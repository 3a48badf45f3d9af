import { expect, test } from 'vitest'
import type { Observation } from '../../src/capture/index.js'
import { buildOpenApi } from '../../src/infer/index.js'
import { mergeStoreFiles, mergeStores, openStore, type Store, type StoreLimits } from '../../src/store/index.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { observation, prng, realisticTraffic } from './observations.js'
import { dumpRows } from './rows.js'

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]]
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]))
}

function storeOf(observations: readonly Observation[], limits: Partial<StoreLimits>, batch = 97): Store {
  const store = openStore({ path: tempDbPath(), limits })
  for (let i = 0; i < observations.length; i += batch) store.record(observations.slice(i, i + batch))
  return store
}

/** Splits observations at random between n proxies, each seeing its share in arrival order. */
function split(observations: readonly Observation[], n: number, seed: number): Observation[][] {
  const rnd = prng(seed)
  const parts: Observation[][] = Array.from({ length: n }, () => [])
  for (const o of observations) parts[Math.floor(rnd() * n)]?.push(o)
  return parts
}

const WORDS =
  'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec'.split(' ')

/** Traffic that hits every cap: literal floods at two levels, many endpoints, hosts, content types, examples. */
function cappedTraffic(count: number, seed: number): Observation[] {
  const rnd = prng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  const out: Observation[] = []
  for (let i = 0; i < count; i++) {
    const timeMs = 1_700_000_000_000 + Math.floor(rnd() * 1_000_000)
    const r = rnd()
    const path =
      r < 0.3
        ? `/files/${pick(WORDS)}/${pick(WORDS)}`
        : r < 0.5
          ? `/${pick(WORDS)}`
          : r < 0.7
            ? `/users/${Math.floor(rnd() * 10_000)}/${pick(['orders', 'cards', 'notes'])}`
            : `/files/${pick(WORDS)}`
    out.push(
      observation({
        path,
        timeMs,
        method: pick(['GET', 'GET', 'POST']),
        host: `h${Math.floor(rnd() * 6)}.test`,
        status: pick([200, 200, 201, 404, 500]),
        responseContentType: pick(['application/json', 'text/plain', 'application/xml', 'text/html']),
        responseBody: rnd() < 0.5 ? { id: 1, name: pick(WORDS) } : { id: 2, tags: [pick(WORDS)] },
        ...(rnd() < 0.3 ? { example: { response: `{"n":${Math.floor(rnd() * 100)}}` } } : {}),
      }),
    )
  }
  return out
}

const CAPS: Partial<StoreLimits> = {
  maxLiteralSiblings: 5,
  maxHostsPerEndpoint: 3,
  maxContentTypesPerEndpoint: 2,
  examplesPerStatus: 2,
  segmentSampleSize: 8,
}

test.each([
  { name: 'realistic traffic, no cap reached', traffic: realisticTraffic(2000, 7), limits: {} },
  { name: 'traffic over every per-endpoint and sibling cap', traffic: cappedTraffic(1500, 11), limits: CAPS },
])(
  'merging the stores of 3 proxies equals one store that saw everything, in every order: $name',
  ({ traffic, limits }) => {
    const single = storeOf(traffic, limits)
    const expectedInventory = single.inventory()
    const expectedRows = dumpRows(single)
    // db stats computes the overflow in SQL: it must agree with the inventory
    expect(single.stats().overflow).toEqual(expectedInventory.overflow)
    if (limits === CAPS) {
      // the caps really bit, so the equality below covers the overflow paths too
      const { pathSegments, hosts, contentTypes } = expectedInventory.overflow
      expect([pathSegments, hosts, contentTypes].every((n) => (n ?? 0) > 0)).toBe(true)
    }
    // the same traffic in another order and batching gives the same store
    const reordered = storeOf([...traffic].reverse(), limits, 31)
    expect(reordered.inventory()).toEqual(expectedInventory)
    expect(dumpRows(reordered)).toEqual(expectedRows)

    const parts = split(traffic, 3, 5).map((p) => storeOf(p, limits))
    for (const order of permutations([0, 1, 2])) {
      const target = openStore({ path: tempDbPath(), limits })
      for (const i of order) mergeStores(target, parts[i] as Store)
      expect(target.inventory()).toEqual(expectedInventory)
      expect(dumpRows(target)).toEqual(expectedRows)
      target.close()
    }
    // merging into a proxy's own store (not an empty one) works the same
    const [a, b, c] = split(traffic, 3, 5).map((p) => storeOf(p, limits)) as [Store, Store, Store]
    mergeStores(b, c)
    mergeStores(b, a)
    expect(b.inventory()).toEqual(expectedInventory)
    // and so does the inferred document
    expect(buildOpenApi(b.inventory())).toEqual(buildOpenApi(expectedInventory))
    for (const s of [single, reordered, ...parts, a, b, c]) s.close()
  },
)

test('the endpoint cap: merged stores equal one store while no sibling fold frees a slot', () => {
  const traffic = Array.from({ length: 400 }, (_, i) =>
    observation({
      path: `/${WORDS[i % WORDS.length]}/${i % 7}`,
      timeMs: 1_700_000_000_000 + i,
      method: i % 3 ? 'GET' : 'PUT',
    }),
  )
  const limits = { maxEndpoints: 12 }
  const single = storeOf(traffic, limits)
  expect(single.inventory().overflow['endpoints']).toBeGreaterThan(0)
  expect(single.stats().overflow).toEqual(single.inventory().overflow)
  const parts = split(traffic, 3, 9).map((p) => storeOf(p, limits))
  for (const order of permutations([0, 1, 2])) {
    const target = openStore({ path: tempDbPath(), limits })
    for (const i of order) mergeStores(target, parts[i] as Store)
    expect(dumpRows(target)).toEqual(dumpRows(single))
    target.close()
  }
  for (const s of [single, ...parts]) s.close()
})

test('mergeStoreFiles writes a new file from several stores and refuses bad arguments', () => {
  const traffic = realisticTraffic(600, 3)
  const parts = split(traffic, 2, 1).map((p) => storeOf(p, {}))
  const inputs = parts.map((p) => p.path)
  for (const p of parts) p.close()
  const out = tempDbPath('all.db')
  const r = mergeStoreFiles(out, inputs)
  expect(r.endpoints).toBeGreaterThan(0)
  const merged = openStore({ path: out })
  expect(merged.inventory()).toEqual(storeOf(traffic, {}).inventory())
  merged.close()
  expect(() => mergeStoreFiles(out, [out])).toThrow(expect.objectContaining({ code: 'SPECTER_ERR_USAGE' }))
  expect(() => mergeStoreFiles(out, [`${out}.missing`])).toThrow(expect.objectContaining({ code: 'SPECTER_ERR_USAGE' }))
})

test('merging into a store that a live proxy keeps writing to loses nothing (another connection committed)', () => {
  const traffic = realisticTraffic(900, 21)
  const [first, other, last] = [traffic.slice(0, 300), traffic.slice(300, 600), traffic.slice(600)]
  const live = storeOf(first as Observation[], {})
  const elsewhere = storeOf(other as Observation[], {})
  elsewhere.close()
  // `specter merge --out live.db` while the proxy runs: a second connection to the same file
  const merger = openStore({ path: live.path })
  mergeStores(merger, openStore({ path: elsewhere.path }))
  merger.close()
  for (let i = 0; i < (last as Observation[]).length; i += 97) live.record((last as Observation[]).slice(i, i + 97))
  expect(live.inventory()).toEqual(storeOf(traffic, {}).inventory())
  live.close()
})
