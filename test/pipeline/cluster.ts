// Pipeline test wiring: publishing proxies (the real `specter proxy` stack with publish.url set),
// collectors on a central store, and row dumps to compare stores. Everything stops when the test finishes.
import { onTestFinished } from 'vitest'
import { type SpecterStack, startSpecterStack } from '../../src/cli/commands/proxy.js'
import { type Collector, type CollectorOptions, startCollector } from '../../src/pipeline/index.js'
import { openStore, type Store } from '../../src/store/index.js'
import type { ConfigOverrides } from '../../src/config.js'
import { testConfig } from '../helpers/start-specter.js'
import { dumpRows } from '../store/rows.js'

export { dumpRows }

export interface ProxyOptions {
  upstream: string
  dbPath: string
  publishUrl?: string
  maxOutboxDeltas?: number
  /** security.enumeration settings (thresholds) */
  enumeration?: NonNullable<ConfigOverrides['security']>['enumeration']
  /** the nats section (TLS, credentials) */
  nats?: ConfigOverrides['nats']
  /** structured logs at info level go here (else nothing is logged) */
  logStream?: NodeJS.WritableStream
}

/** The whole proxy stack on loopback, publishing to `publishUrl` when given. */
export async function startProxyStack(o: ProxyOptions): Promise<SpecterStack> {
  const config = testConfig(o.upstream, {
    store: { path: o.dbPath },
    // Small batches: several deltas per test, so ordering and dedup are exercised.
    capture: { batchSize: 25, flushIntervalMs: 20 },
    ...(o.publishUrl !== undefined
      ? {
          publish: {
            url: o.publishUrl,
            retryIntervalMs: 100,
            publishTimeoutMs: 1000,
            ...(o.maxOutboxDeltas !== undefined ? { maxOutboxDeltas: o.maxOutboxDeltas } : {}),
          },
        }
      : {}),
    ...(o.nats !== undefined ? { nats: o.nats } : {}),
    ...(o.enumeration !== undefined ? { security: { enumeration: o.enumeration } } : {}),
    ...(o.logStream !== undefined ? { log: { level: 'info' as const } } : {}),
  })
  const stack = await startSpecterStack(config, {
    cwd: process.cwd(),
    ...(o.logStream !== undefined ? { logStream: o.logStream } : {}),
  })
  onTestFinished(() => stack.close())
  return stack
}

/** Writes everything captured to the store and, when publishing, waits until JetStream holds it. */
export async function settle(stack: SpecterStack): Promise<void> {
  await stack.capture.drain()
  await stack.publisher?.flushed(10_000)
}

export interface TestCollector {
  collector: Collector
  store: Store
  close: () => Promise<void>
}

/** A collector on its own connection to the central store at `dbPath`. */
export function startTestCollector(
  url: string,
  dbPath: string,
  options: Partial<CollectorOptions> = {},
): TestCollector {
  const store = openStore({ path: dbPath, busyTimeoutMs: 2000 })
  const collector = startCollector({
    store,
    url,
    ackWaitMs: 5000,
    retryIntervalMs: 100,
    // Outages are expected here; the logs stay out of the test output.
    logger: { warn: () => {}, info: () => {} },
    ...options,
  })
  let closed: Promise<void> | undefined
  const close = () => {
    closed ??= collector.close().then(() => store.close())
    return closed
  }
  onTestFinished(close)
  return { collector, store, close }
}

/** Observations recorded in a store (the sum of its endpoint counts). */
export function observationCount(store: Store): number {
  return store.database.prepare('SELECT coalesce(sum(count), 0) FROM endpoint').pluck().get() as number
}

/** Waits (bounded) until the central store holds `n` observations. */
export async function untilCount(c: TestCollector, n: number, timeoutMs = 15_000): Promise<void> {
  await c.collector.until(() => observationCount(c.store) >= n, timeoutMs)
}
