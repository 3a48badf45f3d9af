// In-memory observations -> Inventory, mirroring the store's aggregation (one endpoint per
// method + path key, exchanges per status, outcome and media types, shapes merged). Used by the
// accuracy harness and infer tests to run without SQLite; the end-to-end variant reads the
// same Inventory from the real store.
import type { Observation } from '../../src/capture/index.js'
import { mergeShapes, type Shape } from '../../src/infer/index.js'
import type { Inventory, ObservedEndpoint, ObservedExchange } from '../../src/store/inventory.js'

const SAMPLE_SIZE = 32

function add(record: Record<string, number>, key: string, n = 1): void {
  record[key] = (record[key] ?? 0) + n
}

export function inventoryOf(observations: readonly Observation[]): Inventory {
  const endpoints = new Map<string, ObservedEndpoint & { values: Map<number, Set<string>> }>()
  for (const o of observations) {
    const key = `${o.method} ${o.pathKey}`
    let e = endpoints.get(key)
    if (e === undefined) {
      e = {
        method: o.method,
        pathKey: o.pathKey,
        hosts: [],
        count: 0,
        firstSeenMs: o.timeMs,
        lastSeenMs: o.timeMs,
        segments: [],
        exchanges: [],
        examples: [],
        values: new Map(),
      }
      endpoints.set(key, e)
    }
    e.count++
    e.firstSeenMs = Math.min(e.firstSeenMs, o.timeMs)
    e.lastSeenMs = Math.max(e.lastSeenMs, o.timeMs)
    if (!e.hosts.includes(o.host)) e.hosts.push(o.host)
    for (const [index, value] of o.segmentValues) {
      const set = e.values.get(index) ?? new Set<string>()
      if (set.size < SAMPLE_SIZE) set.add(value)
      e.values.set(index, set)
    }
    let x = e.exchanges.find(
      (c) =>
        c.status === o.status &&
        c.outcome === o.outcome &&
        c.requestContentType === o.requestContentType &&
        c.responseContentType === o.responseContentType,
    )
    if (x === undefined) {
      x = {
        status: o.status,
        outcome: o.outcome,
        requestContentType: o.requestContentType,
        responseContentType: o.responseContentType,
        count: 0,
        firstSeenMs: o.timeMs,
        lastSeenMs: o.timeMs,
        query: o.query,
        requestHeaders: o.requestHeaders,
        responseHeaders: o.responseHeaders,
        auth: {},
        requestKinds: {},
        responseKinds: {},
        requestTruncated: 0,
        responseTruncated: 0,
        durationMsSum: 0,
        durationMsMax: 0,
      }
      e.exchanges.push(x)
    } else {
      x.query = mergeShapes(x.query, o.query)
      x.requestHeaders = mergeShapes(x.requestHeaders, o.requestHeaders)
      x.responseHeaders = mergeShapes(x.responseHeaders, o.responseHeaders)
    }
    x.count++
    x.firstSeenMs = Math.min(x.firstSeenMs, o.timeMs)
    x.lastSeenMs = Math.max(x.lastSeenMs, o.timeMs)
    if (o.auth.length === 0) add(x.auth, 'none')
    for (const fact of o.auth) add(x.auth, fact)
    add(x.requestKinds, o.requestBody.kind)
    add(x.responseKinds, o.responseBody.kind)
    if (o.requestBody.truncated) x.requestTruncated++
    if (o.responseBody.truncated) x.responseTruncated++
    x.durationMsSum += o.durationMs
    x.durationMsMax = Math.max(x.durationMsMax, o.durationMs)
    x.requestBody = merge(x.requestBody, o.requestBody.shape)
    x.responseBody = merge(x.responseBody, o.responseBody.shape)
  }
  return {
    endpoints: [...endpoints.values()].map(({ values, ...e }) => ({
      ...e,
      segments: [...values].map(([index, set]) => ({ index, values: [...set].sort(), distinct: set.size })),
      exchanges: e.exchanges.map(clean),
    })),
    overflow: {},
  }
}

function merge(a: Shape | undefined, b: Shape | undefined): Shape | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  return mergeShapes(a, b)
}

function clean(x: ObservedExchange): ObservedExchange {
  const out = { ...x }
  if (out.requestBody === undefined) delete out.requestBody
  if (out.responseBody === undefined) delete out.responseBody
  return out
}
