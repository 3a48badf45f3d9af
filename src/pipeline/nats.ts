// NATS JetStream plumbing shared by publisher and collector: URL checks, connection with
// endless reconnects, and the stream both sides declare (idempotently) before use.
import { connect, type NatsConnection } from '@nats-io/transport-node'
import { jetstreamManager, type JetStreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream'
import { usageError } from '../errors.js'

export interface StreamOptions {
  /** JetStream stream name */
  stream: string
  /** deltas go to `${subjectPrefix}.<instance id>` */
  subjectPrefix: string
  /** how long the stream keeps a delta, acknowledged or not */
  maxAgeMs: number
  /** window in which JetStream drops a re-published Nats-Msg-Id */
  duplicateWindowMs: number
}

export const DEFAULT_STREAM_OPTIONS: Readonly<StreamOptions> = Object.freeze({
  stream: 'SPECTER_DELTAS',
  subjectPrefix: 'specter.deltas',
  maxAgeMs: 24 * 3600_000,
  duplicateWindowMs: 120_000,
})

const NATS_URL = /^nats:\/\/[A-Za-z0-9.\-[\]:]{1,255}$/

/** A URL as it may be printed: user information before '@' masked, length capped. */
export const printableUrl = (url: string): string =>
  url
    .slice(0, 200)
    .replace(/\/\/[^/]*@/, '//***@')
    .slice(0, 100)

/** Checks a `nats://HOST:PORT` URL (no credentials in it: they would end up in logs). */
export function checkNatsUrl(url: string, flag: string): string {
  if (!NATS_URL.test(url))
    throw usageError(`${flag} must be nats://HOST:PORT, got ${JSON.stringify(printableUrl(url))}`)
  return url
}

/**
 * Connects once (failing fast when nobody listens, so the caller's retry loop stays cancellable),
 * then reconnects forever: NATS may restart under a running Specter.
 */
export function connectNats(url: string, name: string, reconnectWaitMs: number): Promise<NatsConnection> {
  return connect({
    servers: url,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: reconnectWaitMs,
    pingInterval: 10_000,
  })
}

const nanos = (ms: number) => ms * 1_000_000

/** Declares the delta stream when missing; returns the manager. */
export async function ensureStream(nc: NatsConnection, o: StreamOptions): Promise<JetStreamManager> {
  const jsm = await jetstreamManager(nc)
  try {
    await jsm.streams.info(o.stream)
  } catch {
    await jsm.streams.add({
      name: o.stream,
      subjects: [`${o.subjectPrefix}.>`],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: nanos(o.maxAgeMs),
      duplicate_window: nanos(o.duplicateWindowMs),
    })
  }
  return jsm
}

export { nanos }
