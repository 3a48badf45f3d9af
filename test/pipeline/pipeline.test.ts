// Two publishing proxies split the traffic; a collector merges their deltas from a real
// nats-server. The central store equals the exact merge of the two local stores row for row,
// and its inventory, inferred document and findings equal those of one proxy that saw it all.
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { diff } from '../../src/diff/index.js'
import { buildOpenApi } from '../../src/infer/index.js'
import { loadSpec } from '../../src/spec/index.js'
import { mergeStoreFiles, openStore, type Store } from '../../src/store/index.js'
import { startUpstream } from '../helpers/upstream.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { apiHandler, requests, send } from './api.js'
import { dumpRows, observationCount, settle, startProxyStack, startTestCollector, untilCount } from './cluster.js'
import { haveNats, startNats } from './nats.js'

const PUBLISHED = {
  openapi: '3.0.3',
  info: { title: 'shop', version: '1' },
  paths: {
    '/users/{id}': {
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } },
              },
            },
          },
        },
      },
    },
    '/orders': { get: { responses: { '200': { description: 'ok' } } } },
  },
}

/** The inventory without what depends on the clock or on which proxy's clock tied first. */
function timeless(store: Store) {
  const inv = store.inventory()
  return {
    overflow: inv.overflow,
    endpoints: inv.endpoints.map((e) => ({
      ...e,
      firstSeenMs: 0,
      lastSeenMs: 0,
      examples: [],
      exchanges: e.exchanges.map((x) => ({ ...x, firstSeenMs: 0, lastSeenMs: 0, durationMsSum: 0, durationMsMax: 0 })),
    })),
  }
}

describe.skipIf(!haveNats)('pipeline over NATS JetStream', () => {
  test('two proxies + collector equal one proxy: rows, inventory, OpenAPI document, findings', async () => {
    const nats = await startNats()
    const upstream = await startUpstream(apiHandler)
    const single = await startProxyStack({ upstream, dbPath: tempDbPath('single.db') })
    const a = await startProxyStack({ upstream, dbPath: tempDbPath('a.db'), publishUrl: nats.url })
    const b = await startProxyStack({ upstream, dbPath: tempDbPath('b.db'), publishUrl: nats.url })
    const centralPath = tempDbPath('central.db')
    const central = startTestCollector(nats.url, centralPath)

    const traffic = requests(240)
    for (const [i, r] of traffic.entries()) {
      // The same request to the single proxy and to one of the pair (round-robin).
      const [s1, s2] = await Promise.all([send(single.proxy.url, r), send((i % 2 ? b : a).proxy.url, r)])
      expect(s2).toBe(s1)
    }
    await Promise.all([settle(single), settle(a), settle(b)])
    await untilCount(central, traffic.length)

    expect(observationCount(a.store)).toBeGreaterThan(0)
    expect(observationCount(b.store)).toBeGreaterThan(0)
    expect(observationCount(central.store)).toBe(traffic.length)
    expect(central.collector.stats().duplicates).toBe(0)

    // Row for row: the central store is the exact merge of the two local stores.
    const merged = tempDbPath('merged.db')
    mergeStoreFiles(merged, [a.store.path, b.store.path])
    const mergedStore = openStore({ path: merged })
    try {
      expect(dumpRows(central.store)).toEqual(dumpRows(mergedStore))
    } finally {
      mergedStore.close()
    }

    // And what a single proxy fed the same traffic infers and finds.
    const want = timeless(single.store)
    const got = timeless(central.store)
    expect(got).toEqual(want)
    expect(buildOpenApi(got as never)).toEqual(buildOpenApi(want as never))
    const specPath = join(dirname(centralPath), 'published.json')
    writeFileSync(specPath, JSON.stringify(PUBLISHED))
    const spec = await loadSpec(specPath)
    const now = 1_900_000_000_000
    const findingsOf = (inv: unknown) =>
      diff({ inventory: inv as never, spec, now, options: { minObservationWindowMs: 0, minObservedRequests: 0 } })
        .findings
    const findings = findingsOf(got)
    expect(findings.length).toBeGreaterThan(0)
    expect(findings).toEqual(findingsOf(want))

    // Per-source bookkeeping: each proxy's deltas arrived, gap-free.
    const sources = central.collector.sources()
    expect(sources.map((s) => s.instanceId).sort()).toEqual([a.store.instanceId, b.store.instanceId].sort())
    for (const s of sources) expect(s.appliedThrough).toBe(s.deltas)
    expect(sources.reduce((n, s) => n + s.observations, 0)).toBe(traffic.length)
  }, 60_000)
})
