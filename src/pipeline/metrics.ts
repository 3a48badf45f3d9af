// Prometheus metrics of the pipeline, registry passed in: the collector's (deltas received,
// applied, duplicate, invalid; lag; each source proxy's outbox as it last reported it) and the
// publishing proxy's own (outbox depth and overflow, deltas published). Source labels are proxy
// instance ids: one per proxy of the fleet, capped.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { CollectorHooks } from './collector.js'
import type { PublisherStats } from './publisher.js'

export const MERGE_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

/** Source proxies given their own label values; later ones are not labelled (their deltas still count). */
export const MAX_SOURCE_LABELS = 1000

export interface CollectorMetrics {
  hooks: CollectorHooks
}

/** Creates the collector metrics in `registry`; wire `hooks` into startCollector. */
export function createCollectorMetrics(registry: Registry): CollectorMetrics {
  const registers = [registry]
  const counter = (name: string, help: string) => new Counter({ name, help, registers })
  const received = counter('specter_collector_deltas_received_total', 'Deltas fetched from JetStream.')
  const applied = counter('specter_collector_deltas_applied_total', 'Deltas merged into the central store.')
  const duplicate = counter(
    'specter_collector_deltas_duplicate_total',
    'Deltas fetched again after they were merged (redelivery, re-publish); acknowledged, not merged.',
  )
  const invalid = counter('specter_collector_deltas_invalid_total', 'Deltas that could not be read; dropped.')
  const observations = counter(
    'specter_collector_observations_applied_total',
    'Observations carried by the merged deltas.',
  )
  const mergeDuration = new Histogram({
    name: 'specter_collector_merge_duration_seconds',
    help: 'Time to merge one fetched batch of deltas into the central store, in one transaction.',
    buckets: MERGE_BUCKETS_SECONDS,
    registers,
  })
  const pending = new Gauge({
    name: 'specter_collector_pending_deltas',
    help: 'Deltas in the stream not yet delivered to a collector (consumer lag).',
    registers,
  })
  const labels = ['source'] as const
  const lag = new Gauge({
    name: 'specter_collector_lag_seconds',
    help: 'Age of the latest merged delta of each source proxy when it was merged.',
    labelNames: labels,
    registers,
  })
  const depth = new Gauge({
    name: 'specter_collector_source_outbox_depth',
    help: "Deltas waiting in a source proxy's outbox, as it last reported.",
    labelNames: labels,
    registers,
  })
  const overflow = new Gauge({
    name: 'specter_collector_source_outbox_overflow',
    help: "Deltas a source proxy's full outbox refused, as it last reported.",
    labelNames: labels,
    registers,
  })
  const known = new Set<string>()
  return {
    hooks: {
      received: (n) => received.inc(n),
      applied: (n, obs, durationMs) => {
        applied.inc(n)
        observations.inc(obs)
        mergeDuration.observe(durationMs / 1000)
      },
      duplicate: (n) => duplicate.inc(n),
      invalid: (n) => invalid.inc(n),
      pending: (n) => pending.set(n),
      source: (id, ageMs, outboxDepth, outboxOverflow) => {
        if (!known.has(id)) {
          if (known.size >= MAX_SOURCE_LABELS) return
          known.add(id)
        }
        lag.set({ source: id }, Math.max(0, ageMs) / 1000)
        depth.set({ source: id }, outboxDepth)
        overflow.set({ source: id }, outboxOverflow)
      },
    },
  }
}

/** Creates the publishing proxy's pipeline metrics in `registry`, read from `stats` at scrape time. */
export function createPublisherMetrics(registry: Registry, stats: () => PublisherStats): void {
  const registers = [registry]
  const synced = (name: string, help: string, pick: (s: PublisherStats) => number) => {
    let last = 0
    return new Counter({
      name,
      help,
      registers,
      collect() {
        const total = pick(stats())
        // A total that went down is a restart: Prometheus' rate() treats it as a counter reset.
        const inc = total >= last ? total - last : total
        last = total
        if (inc > 0) this.inc(inc)
      },
    })
  }
  new Gauge({
    name: 'specter_pipeline_outbox_depth',
    help: 'Deltas waiting in the outbox for NATS JetStream to acknowledge them.',
    registers,
    collect() {
      this.set(stats().outboxDepth)
    },
  })
  new Gauge({
    name: 'specter_pipeline_connected',
    help: '1 when the last publish to NATS JetStream succeeded.',
    registers,
    collect() {
      this.set(stats().connected ? 1 : 0)
    },
  })
  synced(
    'specter_pipeline_outbox_overflow_total',
    'Deltas refused because the outbox was full (they are in the local store only).',
    (s) => s.outboxOverflow,
  )
  synced('specter_pipeline_deltas_published_total', 'Deltas acknowledged by NATS JetStream.', (s) => s.deltasPublished)
  synced('specter_pipeline_publish_errors_total', 'Failed connections or publishes to NATS.', (s) => s.publishErrors)
}
