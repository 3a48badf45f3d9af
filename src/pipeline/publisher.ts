// The proxy side of the pipeline: an ObservationSink in front of the local store that also turns
// each capture batch into deltas in the outbox (same transaction), and a background loop that
// publishes the outbox in seq order to JetStream, with Nats-Msg-Id `<instance>:<seq>` so that
// JetStream drops a re-publish. NATS being down only grows the outbox; forwarding never waits.
// The enumeration suspects the proxy stores go into the outbox too, as their own deltas
// (src/pipeline/suspects.ts).
import { headers, type NatsConnection } from '@nats-io/transport-node'
import { jetstream } from '@nats-io/jetstream'
import type { Observation } from '../capture/index.js'
import type { Store } from '../store/index.js'
import { encodeDeltas, encodeSuspectDeltas } from './delta.js'
import {
  connectNats,
  DEFAULT_STREAM_OPTIONS,
  ensureStream,
  type NatsSecurity,
  natsFailure,
  type StreamOptions,
} from './nats.js'
import { Outbox } from './outbox.js'
import { SuspectShipper } from './suspects.js'

export interface PublisherOptions extends Partial<StreamOptions> {
  store: Store
  /** nats://HOST:PORT or tls://HOST:PORT, or several, comma-separated */
  url: string
  /** TLS and authentication (natsOptionsFromConfig) */
  security?: NatsSecurity
  /** deltas kept while NATS is unreachable; beyond, new deltas are refused and counted */
  maxOutboxDeltas?: number
  /** JSON bytes per delta before a batch is split (NATS max_payload is 1 MiB by default) */
  maxDeltaBytes?: number
  /** how long one publish waits for JetStream's ack */
  publishTimeoutMs?: number
  /** pause between reconnect attempts and publish retries */
  retryIntervalMs?: number
  now?: () => number
  logger?: { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void }
}

export interface PublisherStats {
  connected: boolean
  outboxDepth: number
  outboxOverflow: number
  deltasPublished: number
  publishErrors: number
  nextSeq: number
  /** the SPECTER_ERR_NATS_* code of the last failure, '' once publishing works */
  lastErrorCode: string
}

export interface Publisher {
  /** the capture's store: writes the batch locally and enqueues its deltas, in one transaction */
  record: (observations: Observation[]) => void
  stats: () => PublisherStats
  /** enqueues the enumeration suspects stored since the last call (also done after each batch and when idle) */
  shipSuspects: () => void
  /** ships suspects, then resolves once the outbox is empty (or rejects after `timeoutMs`) */
  flushed: (timeoutMs: number) => Promise<void>
  /** stops publishing; the outbox stays in the store for the next start */
  close: () => Promise<void>
}

export const DEFAULT_PUBLISHER_OPTIONS = Object.freeze({
  maxOutboxDeltas: 100_000,
  maxDeltaBytes: 512 * 1024,
  publishTimeoutMs: 5000,
  retryIntervalMs: 1000,
})

const PUBLISH_WINDOW = 64

/** Header names carried by every delta message (read by the collector's metrics). */
export const OUTBOX_DEPTH_HEADER = 'Specter-Outbox-Depth'
export const OUTBOX_OVERFLOW_HEADER = 'Specter-Outbox-Overflow'

/** Starts publishing the store's outbox to JetStream; wire `record` as the capture's store. */
export function createPublisher(options: PublisherOptions): Publisher {
  const o = { ...DEFAULT_PUBLISHER_OPTIONS, ...DEFAULT_STREAM_OPTIONS, ...stripUndefined(options) }
  const { store } = options
  const now = options.now ?? Date.now
  const outbox = new Outbox(store.database)
  const suspects = new SuspectShipper(store.database)
  const subject = `${o.subjectPrefix}.${store.instanceId}`
  const stats = { connected: false, deltasPublished: 0, publishErrors: 0, lastErrorCode: '' }
  let closed = false
  let nc: NatsConnection | undefined
  let wake: (() => void) | undefined
  let loopDone: Promise<void> = Promise.resolve()
  const drainWaiters = new Set<() => void>()
  let overflowLogged = false

  const kick = () => {
    const w = wake
    wake = undefined
    w?.()
  }
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        wake = undefined
        resolve()
      }, ms)
      t.unref()
      wake = () => {
        clearTimeout(t)
        resolve()
      }
    })

  const record = (observations: Observation[]): void => {
    if (observations.length === 0) return
    const aggs = store.aggregate(observations)
    // Serialised before apply(), which consumes the aggregates.
    const createdMs = now()
    const bodies = encodeDeltas(aggs, { instanceId: store.instanceId, createdMs }, o.maxDeltaBytes)
    let refused = 0
    store.apply(aggs, () => {
      refused = outbox.enqueue(bodies, createdMs, o.maxOutboxDeltas)
    })
    shipQuietly()
    if (refused > 0 && !overflowLogged) {
      overflowLogged = true
      options.logger?.warn(
        { refused, maxOutboxDeltas: o.maxOutboxDeltas },
        'pipeline outbox full: new deltas are counted and dropped (the local store keeps them)',
      )
    }
    kick()
  }

  /**
   * The enumeration tracker stores its suspects on its own timer: rows changed since the last
   * shipped go out as their own delta. They wait while the outbox has no room (a later snapshot
   * carries them), so they are never counted as overflow.
   */
  const shipSuspects = (): void => {
    if (!store.database.open) return
    const rows = suspects.changed()
    if (rows.length === 0) return
    const createdMs = now()
    const bodies = encodeSuspectDeltas(rows, { instanceId: store.instanceId, createdMs }, o.maxDeltaBytes)
    if (outbox.depth() + bodies.length > o.maxOutboxDeltas) return
    store.database.transaction(() => {
      outbox.enqueue(bodies, createdMs, o.maxOutboxDeltas)
      suspects.shipped(rows)
    })()
    kick()
  }
  let suspectsFailing = false
  const shipQuietly = (): void => {
    try {
      shipSuspects()
      suspectsFailing = false
    } catch (err) {
      // Retried after the next batch and every idle second: logged once per failing spell.
      if (!suspectsFailing) {
        options.logger?.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'pipeline could not enqueue enumeration suspects; retrying',
        )
      }
      suspectsFailing = true
    }
  }

  const notifyDrained = () => {
    if (outbox.depth() > 0) return
    for (const d of drainWaiters) d()
    drainWaiters.clear()
  }

  const publishAll = async (conn: NatsConnection): Promise<void> => {
    const js = jetstream(conn, { timeout: o.publishTimeoutMs })
    for (;;) {
      if (closed) return
      let rows = outbox.peek(PUBLISH_WINDOW)
      if (rows.length === 0) {
        shipQuietly()
        rows = outbox.peek(PUBLISH_WINDOW)
      }
      if (rows.length === 0) {
        notifyDrained()
        overflowLogged = false
        await pause(o.retryIntervalMs)
        continue
      }
      const h = headers()
      h.set(OUTBOX_DEPTH_HEADER, String(outbox.depth()))
      h.set(OUTBOX_OVERFLOW_HEADER, String(outbox.overflow()))
      // A window of publishes in flight, acknowledged in order; the outbox only loses a row once
      // JetStream holds it, so a failure anywhere re-publishes from the oldest unacknowledged.
      const acks = rows.map((r) =>
        js.publish(subject, r.body, { msgID: `${store.instanceId}:${r.seq}`, headers: h, timeout: o.publishTimeoutMs }),
      )
      for (let i = 0; i < rows.length; i++) {
        try {
          await acks[i]
        } catch (err) {
          for (const a of acks.slice(i + 1)) a.catch(() => {})
          throw err
        }
        if (closed && !store.database.open) return
        outbox.remove((rows[i] as { seq: number }).seq)
        stats.deltasPublished++
      }
    }
  }

  const loop = async (): Promise<void> => {
    let failures = 0
    while (!closed) {
      try {
        if (nc === undefined || nc.isClosed()) {
          nc = await connectNats(options.url, `specter-proxy-${store.instanceId}`, o.retryIntervalMs, options.security)
          if (closed) break
        }
        await ensureStream(nc, o)
        stats.connected = true
        stats.lastErrorCode = ''
        if (failures > 0) options.logger?.info({ failures }, 'pipeline publishing recovered')
        failures = 0
        await publishAll(nc)
      } catch (err) {
        const failure = natsFailure(err)
        stats.connected = false
        stats.publishErrors++
        failures++
        // Logged once per outage, and again when its cause changes (unreachable, then refused credentials).
        if (failures === 1 || failure.code !== stats.lastErrorCode) {
          options.logger?.warn(
            { code: failure.code, err: failure.message, outboxDepth: outbox.depth(), failures },
            'pipeline cannot publish to NATS; deltas wait in the outbox (bounded) and traffic is unaffected',
          )
        }
        stats.lastErrorCode = failure.code
        if (!closed) await pause(o.retryIntervalMs)
      }
    }
  }
  loopDone = loop()

  return {
    record,
    shipSuspects,
    stats: () => ({
      connected: stats.connected,
      outboxDepth: outbox.depth(),
      outboxOverflow: outbox.overflow(),
      deltasPublished: stats.deltasPublished,
      publishErrors: stats.publishErrors,
      nextSeq: outbox.nextSeq(),
      lastErrorCode: stats.lastErrorCode,
    }),
    flushed: (timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        shipQuietly()
        if (outbox.depth() === 0) return resolve()
        const t = setTimeout(() => {
          drainWaiters.delete(done)
          reject(new Error(`the outbox still holds ${outbox.depth()} deltas after ${timeoutMs} ms`))
        }, timeoutMs)
        const done = () => {
          clearTimeout(t)
          resolve()
        }
        drainWaiters.add(done)
        kick()
      }),
    close: async () => {
      if (closed) return
      // The proxy stores its last suspects just before: into the outbox, for the next start if not now.
      shipQuietly()
      closed = true
      kick()
      await nc?.close().catch(() => {})
      await loopDone.catch(() => {})
      await nc?.close().catch(() => {})
    },
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
