// The collector: a durable JetStream pull consumer that merges deltas into a central store.
// Each fetched batch is merged in one SQLite transaction together with its (instance, seq)
// marks, then acknowledged; a delta redelivered (ack lost, collector killed, proxy re-publish
// past the duplicate window) is found in the applied set and only acknowledged. Several
// collectors on the same central store share the durable consumer: JetStream hands each delta
// to one of them, and the applied set settles the rest. Enumeration suspect rows in a delta are
// folded into the central store's enumeration_suspect table in the same transaction.
import { AckPolicy, DeliverPolicy, type JsMsg, jetstream } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import { isSpecterError } from '../errors.js'
import { type EndpointAgg, mergeEndpoint, type Store, type StoreLimits } from '../store/index.js'
import { AppliedSet, type SourceState } from './applied-set.js'
import { type Delta, decodeDelta } from './delta.js'
import {
  connectNats,
  DEFAULT_STREAM_OPTIONS,
  ensureStream,
  type NatsSecurity,
  nanos,
  natsFailure,
  type StreamOptions,
} from './nats.js'
import { OUTBOX_DEPTH_HEADER, OUTBOX_OVERFLOW_HEADER } from './publisher.js'
import { SuspectFolder } from './suspects.js'

export interface CollectorOptions extends Partial<StreamOptions> {
  store: Store
  /** nats://HOST:PORT or tls://HOST:PORT, or several, comma-separated */
  url: string
  /** TLS and authentication (natsOptionsFromConfig) */
  security?: NatsSecurity
  /** durable consumer name, shared by every collector of this central store */
  durable?: string
  /** deltas fetched and merged per transaction */
  batchSize?: number
  /** how long JetStream waits for an ack before redelivering to another collector */
  ackWaitMs?: number
  /** how long one fetch waits for deltas when the stream is caught up (JetStream's minimum: 1000) */
  fetchExpiresMs?: number
  retryIntervalMs?: number
  /** largest inflated delta accepted */
  maxDeltaBytes?: number
  now?: () => number
  logger?: { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void }
  /** after each merged batch and each refused delta, for metrics */
  hooks?: Partial<CollectorHooks>
}

export interface CollectorHooks {
  received: (n: number) => void
  applied: (deltas: number, observations: number, durationMs: number) => void
  duplicate: (n: number) => void
  invalid: (n: number) => void
  /** per delta applied: its source, age and the source's outbox as it published */
  source: (instanceId: string, ageMs: number, outboxDepth: number, outboxOverflow: number) => void
  /** deltas in the stream not yet delivered, after each fetch */
  pending: (n: number) => void
}

export interface CollectorStats {
  connected: boolean
  received: number
  applied: number
  duplicates: number
  invalid: number
  /** deltas in the stream not yet delivered to any collector, at the last check */
  pending: number
  /** the code of the last failure to fetch or merge, '' while collecting works */
  lastErrorCode: string
}

export interface Collector {
  stats: () => CollectorStats
  /** per source proxy, from the central store */
  sources: () => SourceState[]
  /** resolves when `predicate` holds after a fetch or a failure (tests, tooling), rejects after `timeoutMs` */
  until: (predicate: (s: CollectorStats) => boolean, timeoutMs: number) => Promise<void>
  /** stops fetching, finishes the batch in hand (merged and acknowledged), closes the connection */
  close: () => Promise<void>
}

export const DEFAULT_COLLECTOR_OPTIONS = Object.freeze({
  durable: 'specter-collector',
  batchSize: 256,
  ackWaitMs: 30_000,
  fetchExpiresMs: 1000,
  retryIntervalMs: 1000,
  maxDeltaBytes: 64 * 1024 * 1024,
})

interface Decoded {
  msg: JsMsg
  delta: Delta
  depth: number
  overflow: number
}

/** Raised inside the merge transaction when another collector applied one of the batch's deltas first. */
class Raced extends Error {}

const headerInt = (m: JsMsg, name: string) => {
  const v = Number(m.headers?.get(name) ?? '0')
  return Number.isSafeInteger(v) && v >= 0 ? v : 0
}

/**
 * Merges aggregates of the same endpoint (method and path key as captured) in memory first: one
 * read-merge-write per endpoint per batch instead of one per delta. Exact, as a bigger capture
 * batch would be (src/store/aggregate.ts).
 */
export function coalesceEndpoints(aggs: EndpointAgg[], limits: StoreLimits): EndpointAgg[] {
  const byKey = new Map<string, EndpointAgg>()
  for (const a of aggs) {
    const key = `${a.method} ${a.pathKey}`
    const prev = byKey.get(key)
    byKey.set(key, prev === undefined ? a : mergeEndpoint(prev, a, limits))
  }
  return [...byKey.values()]
}

/** Starts collecting into `options.store`; deltas from the stream's start on first use of the durable. */
export function startCollector(options: CollectorOptions): Collector {
  const o = {
    ...DEFAULT_COLLECTOR_OPTIONS,
    ...DEFAULT_STREAM_OPTIONS,
    ...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<CollectorOptions>),
  }
  const { store } = options
  const now = options.now ?? Date.now
  const applied = new AppliedSet(store.database)
  const suspects = new SuspectFolder(store.database)
  const stats: CollectorStats = {
    connected: false,
    received: 0,
    applied: 0,
    duplicates: 0,
    invalid: 0,
    pending: 0,
    lastErrorCode: '',
  }
  const hooks = options.hooks ?? {}
  const waiters = new Set<() => void>()
  let closed = false
  let nc: NatsConnection | undefined
  let wake: (() => void) | undefined

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms)
      t.unref()
      wake = () => {
        clearTimeout(t)
        resolve()
      }
    })
  const notify = () => {
    for (const w of waiters) w()
  }

  /** Merges the new deltas of a batch in one transaction; returns the messages to acknowledge. */
  const merge = (batch: Decoded[]): void => {
    for (;;) {
      const seen = new Set<string>()
      const fresh: Decoded[] = []
      for (const d of batch) {
        const key = `${d.delta.instanceId}:${d.delta.seq}`
        if (seen.has(key) || applied.has(d.delta.instanceId, d.delta.seq)) continue
        seen.add(key)
        fresh.push(d)
      }
      if (fresh.length === 0) break
      const aggs = coalesceEndpoints(
        fresh.flatMap((d) => d.delta.endpoints),
        store.limits,
      )
      const started = performance.now()
      const at = now()
      try {
        store.apply(aggs, () => {
          for (const d of fresh) {
            if (applied.has(d.delta.instanceId, d.delta.seq)) throw new Raced()
            applied.mark(d.delta, { depth: d.depth, overflow: d.overflow }, at)
          }
          for (const d of fresh) suspects.fold(d.delta.suspects)
        })
      } catch (err) {
        // Raced is thrown before the first absorb, so the aggregates are untouched: retry.
        if (err instanceof Raced) continue
        throw err
      }
      const observations = fresh.reduce((s, d) => s + d.delta.observations, 0)
      stats.applied += fresh.length
      hooks.applied?.(fresh.length, observations, performance.now() - started)
      for (const d of fresh) hooks.source?.(d.delta.instanceId, at - d.delta.createdMs, d.depth, d.overflow)
      break
    }
  }

  const decodeOptions = { segmentSampleSize: store.limits.segmentSampleSize, maxInflatedBytes: o.maxDeltaBytes }

  const handle = (msgs: JsMsg[]): void => {
    stats.received += msgs.length
    hooks.received?.(msgs.length)
    const batch: Decoded[] = []
    for (const msg of msgs) {
      try {
        batch.push({
          msg,
          delta: decodeDelta(msg.data, `stream seq ${msg.seq}`, decodeOptions),
          depth: headerInt(msg, OUTBOX_DEPTH_HEADER),
          overflow: headerInt(msg, OUTBOX_OVERFLOW_HEADER),
        })
      } catch (err) {
        stats.invalid++
        hooks.invalid?.(1)
        options.logger?.warn(
          { code: isSpecterError(err) ? err.code : 'SPECTER_ERR_INTERNAL', err: (err as Error).message },
          'collector dropped a delta it cannot read',
        )
        // Never redeliver what can never be read.
        msg.term()
      }
    }
    const before = stats.applied
    try {
      merge(batch)
    } catch (err) {
      // Nothing of the batch was merged: hand it back now rather than after ack_wait.
      for (const d of batch) d.msg.nak(o.retryIntervalMs)
      throw err
    }
    const dup = batch.length - (stats.applied - before)
    if (dup > 0) {
      stats.duplicates += dup
      hooks.duplicate?.(dup)
    }
    for (const d of batch) d.msg.ack()
  }

  const run = async (conn: NatsConnection): Promise<void> => {
    const jsm = await ensureStream(conn, o)
    try {
      await jsm.consumers.info(o.stream, o.durable)
    } catch {
      await jsm.consumers.add(o.stream, {
        durable_name: o.durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(o.ackWaitMs),
        max_ack_pending: Math.max(1000, o.batchSize * 4),
      })
    }
    const consumer = await jetstream(conn).consumers.get(o.stream, o.durable)
    stats.connected = true
    stats.lastErrorCode = ''
    while (!closed) {
      stats.pending = (await consumer.info(true)).num_pending
      hooks.pending?.(stats.pending)
      notify()
      // A pull request returns when its batch is full or expires: ask for what is there (at
      // once), or for one delta (waiting up to fetchExpiresMs) when the stream is caught up.
      const want = Math.max(1, Math.min(o.batchSize, stats.pending))
      const msgs: JsMsg[] = []
      const it = await consumer.fetch({ max_messages: want, expires: Math.max(1000, o.fetchExpiresMs) })
      for await (const m of it) msgs.push(m)
      if (msgs.length > 0) handle(msgs)
    }
  }

  const loop = async (): Promise<void> => {
    let failures = 0
    while (!closed) {
      try {
        if (nc === undefined || nc.isClosed()) {
          nc = await connectNats(options.url, 'specter-collector', o.retryIntervalMs, options.security)
          if (closed) break
        }
        await run(nc)
      } catch (err) {
        stats.connected = false
        failures++
        // A store failure keeps its own code (SPECTER_ERR_STORE_*); anything else is NATS'.
        const failure = natsFailure(err)
        if (failures === 1 || failures % 60 === 0 || failure.code !== stats.lastErrorCode) {
          options.logger?.warn(
            { code: failure.code, err: err instanceof Error ? (err.stack ?? err.message) : String(err), failures },
            'collector cannot fetch from NATS or write the central store; retrying',
          )
        }
        stats.lastErrorCode = failure.code
        notify()
        if (!closed) await pause(o.retryIntervalMs)
      }
    }
  }
  const done = loop()

  return {
    stats: () => ({ ...stats }),
    sources: () => applied.sources(),
    until: (predicate, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        if (predicate(stats)) return resolve()
        const t = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`collector condition not met after ${timeoutMs} ms: ${JSON.stringify(stats)}`))
        }, timeoutMs)
        const check = () => {
          if (!predicate(stats)) return
          clearTimeout(t)
          waiters.delete(check)
          resolve()
        }
        waiters.add(check)
      }),
    close: async () => {
      if (closed) return
      closed = true
      wake?.()
      await done.catch(() => {})
      await nc?.close().catch(() => {})
    },
  }
}
