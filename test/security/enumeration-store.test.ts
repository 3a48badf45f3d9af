import { describe, expect, test } from 'vitest'
import {
  EnumerationStore,
  type EnumerationSuspect,
  EnumerationTracker,
  persistSuspects,
} from '../../src/security/index.js'
import { openStore } from '../../src/store/index.js'
import { tempDbPath } from '../helpers/temp-db.js'

const T0 = 1_700_000_000_000

function suspect(clientKey: string, distinct: number, lastSeenMs = T0): EnumerationSuspect {
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
    firstSeenMs: T0 - 1000,
    lastSeenMs,
  }
}

describe('EnumerationStore', () => {
  test('upserts suspects per (client, operation), keeping the largest count and accumulating hits', () => {
    const store = openStore({ path: tempDbPath() })
    try {
      const s = new EnumerationStore(store.database)
      s.record([suspect('aaaa', 120), suspect('bbbb', 60)], T0)
      s.record([suspect('aaaa', 90, T0 + 60_000)], T0 + 60_000)
      const events = s.list()
      expect(events.map((e) => [e.clientKey, e.maxDistinct, e.hits, e.firstSeenMs, e.lastSeenMs])).toEqual([
        ['aaaa', 120, 2, T0 - 1000, T0 + 60_000],
        ['bbbb', 60, 1, T0 - 1000, T0],
      ])
      expect(s.list(T0 + 1)).toHaveLength(1)
      expect(s.prune(T0 + 1)).toBe(1)
      expect(s.list().map((e) => e.clientKey)).toEqual(['aaaa'])
    } finally {
      store.close()
    }
  })

  test('stays within maxRows, dropping the least recently seen', () => {
    const store = openStore({ path: tempDbPath() })
    try {
      const s = new EnumerationStore(store.database, { maxRows: 3 })
      s.record(
        Array.from({ length: 5 }, (_, i) => suspect(`c${i}`, 100 + i, T0 + i)),
        T0,
      )
      expect(
        s
          .list()
          .map((e) => e.clientKey)
          .sort(),
      ).toEqual(['c2', 'c3', 'c4'])
    } finally {
      store.close()
    }
  })

  test('persistSuspects evaluates the tracker and stores what it found', () => {
    const store = openStore({ path: tempDbPath() })
    try {
      const tracker = new EnumerationTracker({ maxDistinct: 100 })
      for (let i = 0; i < 150; i++) tracker.observe('walker', 'GET', '/a/{int}', String(i), T0)
      const s = new EnumerationStore(store.database)
      expect(persistSuspects(tracker, s, T0 + 1000)).toBe(1)
      expect(s.list().map((e) => [e.clientKey, e.reason, e.hits])).toEqual([['walker', 'threshold', 1]])
    } finally {
      store.close()
    }
  })

  test('a closed database is a coded store error', () => {
    const store = openStore({ path: tempDbPath() })
    const s = new EnumerationStore(store.database)
    store.close()
    expect(() => s.record([suspect('a', 100)], T0)).toThrow(
      expect.objectContaining({ code: 'SPECTER_ERR_STORE_UNAVAILABLE' }),
    )
  })
})
