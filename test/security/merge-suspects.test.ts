// `specter merge` carries the object-enumeration suspects: the merged store reports the same
// suspects whatever the order of its inputs, all in one transaction with the shapes.
import { describe, expect, onTestFinished, test } from 'vitest'
import { EnumerationStore, type EnumerationSuspect } from '../../src/security/index.js'
import { mergeStoreFiles, mergeStores, openStore, type Store } from '../../src/store/index.js'
import { observation } from '../store/observations.js'
import { tempDbPath } from '../helpers/temp-db.js'

const T0 = 1_700_000_000_000

function suspect(clientKey: string, distinct: number, extra: Partial<EnumerationSuspect> = {}): EnumerationSuspect {
  return {
    clientKey,
    method: 'GET',
    pathKey: '/accounts/{int}',
    distinct,
    estimated: distinct > 64,
    windowMs: 3_600_000,
    peers: 4,
    peerMedian: 5,
    limit: 50,
    reason: 'peers',
    firstSeenMs: T0,
    lastSeenMs: T0,
    ...extra,
  }
}

function open(path = tempDbPath()): Store {
  const store = openStore({ path })
  onTestFinished(() => store.close())
  return store
}

/** A store holding one GET /accounts/{int} exchange and the suspects given, each recorded at its `at`. */
function storeWith(evaluations: Array<{ at: number; suspects: EnumerationSuspect[] }>, path?: string): Store {
  const store = open(path)
  store.record([observation({ path: '/accounts/7', timeMs: T0 })])
  const suspects = new EnumerationStore(store.database)
  for (const e of evaluations) suspects.record(e.suspects, e.at)
  return store
}

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]]
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]))
}

const row = (s: Store) => new EnumerationStore(s.database).list()

describe('merging enumeration suspects', () => {
  test('the larger count keeps its window figures, seen times take min/max, hits add: in any order', () => {
    const parts = [
      // proxy a saw the walker twice (hits 2) at 300 objects, and a second client
      storeWith([
        { at: T0 + 60_000, suspects: [suspect('walker', 300, { firstSeenMs: T0 + 10_000 })] },
        { at: T0 + 120_000, suspects: [suspect('walker', 280), suspect('other', 70, { reason: 'threshold' })] },
      ]),
      // proxy b saw the walker at 900 objects, later, with other peers
      storeWith([{ at: T0 + 600_000, suspects: [suspect('walker', 900, { peers: 9, peerMedian: 4, limit: 40 })] }]),
      // proxy c saw "other" at the same count as a but with different figures (a tie to break the same way)
      storeWith([
        {
          at: T0 + 30_000,
          suspects: [suspect('other', 70, { peers: 2, peerMedian: 12, limit: 60, firstSeenMs: T0 - 5000 })],
        },
      ]),
    ]
    const results = permutations([0, 1, 2]).map((order) => {
      const target = open()
      for (const i of order) mergeStores(target, parts[i] as Store)
      return { order, suspects: row(target), count: target.inventory().endpoints[0]?.count }
    })
    const expected = [
      {
        clientKey: 'walker',
        maxDistinct: 900,
        peers: 9,
        peerMedian: 4,
        limit: 40,
        reason: 'peers',
        firstSeenMs: T0,
        lastSeenMs: T0 + 600_000,
        hits: 3,
      },
      {
        clientKey: 'other',
        maxDistinct: 70,
        // tie on max_distinct: the larger limit wins, whichever store came first
        limit: 60,
        peers: 2,
        peerMedian: 12,
        reason: 'peers',
        firstSeenMs: T0 - 5000,
        lastSeenMs: T0 + 120_000,
        hits: 2,
      },
    ]
    for (const r of results) {
      expect(r.suspects, `order ${r.order.join(',')}`).toMatchObject(expected)
      expect(r.suspects).toEqual(results[0]?.suspects)
      expect(r.count).toBe(3)
    }
    // Associative too: a store that is itself a merge merges like its parts.
    const [a, b, c] = parts as [Store, Store, Store]
    mergeStores(b, c)
    mergeStores(b, a)
    expect(row(b)).toEqual(results[0]?.suspects)
  })

  test('mergeStoreFiles carries them into a new file', () => {
    const a = storeWith([{ at: T0, suspects: [suspect('walker', 120)] }])
    const b = storeWith([{ at: T0 + 1000, suspects: [suspect('walker', 80), suspect('second', 55)] }])
    const out = tempDbPath('merged.db')
    const r = mergeStoreFiles(out, [a.path, b.path])
    // 2 + 1 endpoint rows' worth plus 3 suspect rows
    expect(r.rows).toBeGreaterThanOrEqual(3)
    const merged = open(out)
    expect(row(merged).map((e) => [e.clientKey, e.maxDistinct, e.hits])).toEqual([
      ['walker', 120, 2],
      ['second', 55, 1],
    ])
  })

  test('a source without the table merges its shapes and no suspects', () => {
    const target = storeWith([{ at: T0, suspects: [suspect('walker', 120)] }])
    const source = storeWith([{ at: T0, suspects: [suspect('walker', 500)] }])
    source.database.exec('DROP TABLE enumeration_suspect')
    mergeStores(target, source)
    expect(row(target).map((e) => [e.clientKey, e.maxDistinct, e.hits])).toEqual([['walker', 120, 1]])
    expect(target.inventory().endpoints[0]?.count).toBe(2)
  })

  test('a suspect row the target refuses rolls the whole merge back, shapes included', () => {
    const target = storeWith([{ at: T0, suspects: [suspect('walker', 120)] }])
    const source = storeWith([])
    // A foreign table of the same name without the CHECK on reason, holding a row the target refuses.
    source.database.exec(`DROP TABLE enumeration_suspect;
      CREATE TABLE enumeration_suspect (client_key TEXT, method TEXT, path_key TEXT, max_distinct INTEGER,
        window_ms INTEGER, peers INTEGER, peer_median REAL, limit_distinct INTEGER, reason TEXT,
        first_seen_ms INTEGER, last_seen_ms INTEGER, hits INTEGER);
      INSERT INTO enumeration_suspect VALUES ('x', 'GET', '/a/{int}', 60, 3600000, 1, 1, 50, 'bogus', 1, 2, 1);`)
    let thrown: unknown
    try {
      mergeStores(target, source)
    } catch (err) {
      thrown = err
    }
    expect(thrown).toMatchObject({ code: 'SPECTER_ERR_STORE_CORRUPT' })
    expect((thrown as Error).message).toContain(source.path)
    expect(target.inventory().endpoints[0]?.count).toBe(1)
    expect(row(target).map((e) => [e.clientKey, e.maxDistinct, e.hits])).toEqual([['walker', 120, 1]])
    // and the store is still usable: a new exchange lands
    target.record([observation({ path: '/accounts/8', timeMs: T0 + 1 })])
    expect(target.inventory().endpoints[0]?.count).toBe(2)
  })
})
