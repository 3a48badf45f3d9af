// Object-enumeration suspects travel in deltas (version 2): two proxies each see one client walk
// through user ids; after their trackers store their suspects, the collector's central store holds
// the same suspect rows as `specter merge` of the two local stores, a second evaluation updates
// them without doubling, and the security rules find the same object-enumeration findings there.
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { diff } from '../../src/diff/index.js'
import { EnumerationStore, SECURITY_FACTS_KEY } from '../../src/security/index.js'
import { loadSpec } from '../../src/spec/index.js'
import { mergeStoreFiles, openStore, type Store } from '../../src/store/index.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'
import { apiHandler, send, type TestRequest } from './api.js'
import { settle, startProxyStack, startTestCollector } from './cluster.js'
import { haveNats, startNats } from './nats.js'

const suspectRows = (store: Store) =>
  store.database.prepare('SELECT * FROM enumeration_suspect ORDER BY client_key, method, path_key').all()

/** `client` reads users `from`..`from + n - 1`, one request each. */
const walk = (client: string, from: number, n: number): TestRequest[] =>
  Array.from({ length: n }, (_, i) => ({
    method: 'GET',
    path: `/users/${from + i}`,
    headers: { authorization: `Bearer ${client}` },
  }))

describe.skipIf(!haveNats)('enumeration suspects over the pipeline', () => {
  test('the central store holds the suspects `specter merge` would, and the same findings', async () => {
    const nats = await startNats()
    const upstream = await startUpstream(apiHandler)
    const enumeration = { minDistinct: 5, maxDistinct: 20 }
    const a = await startProxyStack({ upstream, dbPath: tempDbPath('a.db'), publishUrl: nats.url, enumeration })
    const b = await startProxyStack({ upstream, dbPath: tempDbPath('b.db'), publishUrl: nats.url, enumeration })
    const centralPath = tempDbPath('central.db')
    const central = startTestCollector(nats.url, centralPath)

    for (const r of [...walk('walker-a', 1, 30), ...walk('reader-a', 1, 2)]) await send(a.proxy.url, r)
    for (const r of [...walk('walker-b', 100, 25), ...walk('reader-b', 5, 3)]) await send(b.proxy.url, r)
    await Promise.all([a.capture.drain(), b.capture.drain()])
    expect(a.enumeration.persist()).toBe(1)
    expect(b.enumeration.persist()).toBe(1)
    await Promise.all([settle(a), settle(b)])
    await central.collector.until(() => suspectRows(central.store).length === 2, 15_000)

    const mergedWith = <T>(read: (s: Store) => T): T => {
      const path = tempDbPath('merged.db')
      mergeStoreFiles(path, [a.store.path, b.store.path])
      const store = openStore({ path })
      try {
        return read(store)
      } finally {
        store.close()
      }
    }
    const merged = () => mergedWith(suspectRows)
    expect(suspectRows(central.store)).toEqual(merged())

    // A second evaluation of proxy a's suspect: one more hit, not twice its hits.
    expect(a.enumeration.persist(Date.now() + 1000)).toBe(1)
    await settle(a)
    const hitsOf = (s: Store) => s.database.prepare('SELECT sum(hits) FROM enumeration_suspect').pluck().get()
    await central.collector.until(() => hitsOf(central.store) === 3, 15_000)
    expect(suspectRows(central.store)).toEqual(merged())

    // The security rules read them: object-enumeration findings on the central store.
    const specPath = join(dirname(centralPath), 'published.json')
    writeFileSync(specPath, JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {} }))
    const spec = await loadSpec(specPath)
    const enumerationFindings = (store: Store) =>
      diff({
        inventory: store.inventory(),
        spec,
        now: Date.now(),
        options: { minObservationWindowMs: 0, minObservedRequests: 0 },
        facts: { [SECURITY_FACTS_KEY]: { enumeration: new EnumerationStore(store.database).list() } },
      }).findings.filter((f) => f.rule === 'object-enumeration')
    const found = enumerationFindings(central.store)
    expect(found).toHaveLength(1)
    expect(found[0]?.title).toContain('1 more client')
    expect(found).toEqual(mergedWith(enumerationFindings))
    // Each published batch and each suspect snapshot went through the applied set once.
    expect(central.collector.stats().duplicates).toBe(0)
  }, 60_000)
})
