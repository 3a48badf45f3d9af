// Storage faults: every failing write is SPECTER_ERR_STORE_UNAVAILABLE, writes nothing of its
// batch, and the store works again once the condition clears. Tests may run as root, where
// chmod does not stop writes, so the conditions are made with SQLite itself: query_only (a
// read-only database), max_page_count (a full disk) and a second connection holding the write
// lock (a locked file).
import Database from 'better-sqlite3'
import { expect, test } from 'vitest'
import { SpecterError } from '../../src/errors.js'
import { openStore, type Store } from '../../src/store/index.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { observation, realisticTraffic } from './observations.js'

function recordError(store: Store, batch: Parameters<Store['record']>[0]): SpecterError {
  try {
    store.record(batch)
  } catch (err) {
    if (err instanceof SpecterError) return err
    throw err
  }
  throw new Error('record did not fail')
}

/** The inventory of a store that only saw the batches that were written. */
function reference(batches: Array<Parameters<Store['record']>[0]>) {
  const store = openStore({ path: tempDbPath() })
  for (const b of batches) store.record(b)
  const inv = store.inventory()
  store.close()
  return inv
}

const total = (store: Store) => store.inventory().endpoints.reduce((n, e) => n + e.count, 0)

test('a read-only database: coded error, nothing written, works after it becomes writable', () => {
  const store = openStore({ path: tempDbPath() })
  // twice: the second write goes through the in-memory row cache, which the failure must not corrupt
  store.record(realisticTraffic(50))
  store.record(realisticTraffic(50, 3))
  store.database.pragma('query_only = ON')
  const batch = realisticTraffic(50, 2)
  const err = recordError(store, batch)
  expect(err.code).toBe('SPECTER_ERR_STORE_UNAVAILABLE')
  expect((err.cause as { code?: string }).code).toMatch(/^SQLITE_READONLY/)
  store.database.pragma('query_only = OFF')
  expect(total(store)).toBe(100)
  store.record(batch)
  expect(total(store)).toBe(150)
  // exchange rows, shapes and samples too: the failed attempt left nothing behind, in the file or in memory
  expect(store.inventory()).toEqual(reference([realisticTraffic(50), realisticTraffic(50, 3), batch]))
  store.close()
})

test('a full disk mid-batch: the whole batch rolls back, the retry lands once', () => {
  const store = openStore({ path: tempDbPath() })
  // twice: the second write goes through the in-memory row cache
  store.record(realisticTraffic(50))
  store.record(realisticTraffic(50, 3))
  const pages = store.database.pragma('page_count', { simple: true }) as number
  store.database.pragma(`max_page_count = ${pages}`)
  // Known endpoints first (cached rows updated in memory before the failure), then many new
  // endpoints with wide shapes that need new pages.
  const batch = [
    ...realisticTraffic(50, 5),
    ...Array.from({ length: 300 }, (_, i) =>
      observation({
        path: `/w${i}`,
        responseBody: Object.fromEntries(Array.from({ length: 50 }, (_, k) => [`field${k}`, k])),
      }),
    ),
  ]
  const err = recordError(store, batch)
  expect(err.code).toBe('SPECTER_ERR_STORE_UNAVAILABLE')
  expect((err.cause as { code?: string }).code).toBe('SQLITE_FULL')
  expect(total(store)).toBe(100)
  store.database.pragma('max_page_count = 1073741823')
  store.record(batch)
  expect(total(store)).toBe(450)
  expect(store.inventory()).toEqual(reference([realisticTraffic(50), realisticTraffic(50, 3), batch]))
  store.close()
})

test('a database locked by another process: coded error after the busy timeout, then works', () => {
  const path = tempDbPath()
  const store = openStore({ path, busyTimeoutMs: 20 })
  store.record(realisticTraffic(10))
  const other = new Database(path)
  other.exec('BEGIN IMMEDIATE')
  const err = recordError(store, realisticTraffic(10, 2))
  expect(err.code).toBe('SPECTER_ERR_STORE_UNAVAILABLE')
  expect((err.cause as { code?: string }).code).toMatch(/^SQLITE_BUSY/)
  other.exec('ROLLBACK')
  other.close()
  store.record(realisticTraffic(10, 2))
  expect(total(store)).toBe(20)
  store.close()
})

test('a file that cannot be created is a coded error', () => {
  const err = (() => {
    try {
      openStore({ path: '/proc/specter-cannot-write-here/x.db' })
    } catch (e) {
      return e
    }
  })()
  expect(err).toBeInstanceOf(SpecterError)
  expect((err as SpecterError).code).toBe('SPECTER_ERR_STORE_UNAVAILABLE')
})
