// Capture health, read from the capture pipeline's stats() at scrape time: is the tap keeping
// up (queue depth, drops), and is what it records sound (tap errors, decode failures, truncation).
import { Counter, Gauge, type Registry } from 'prom-client'
import { CounterSync } from './counter-sync.js'
import { type SampledSource, type StatsSource, sampled } from './stats-source.js'

/** Cumulative totals since start, except queueDepth (current). */
export interface CaptureStatsSnapshot {
  queueDepth: number
  observationsWritten: number
  dropped: number
  tapErrors: number
  decodeFailures: number
  truncatedBodies: number
  /** store writes that failed (disk full, locked, read-only); the batch is kept and retried */
  storeErrors?: number
}

export interface CaptureMetrics {
  queueDepth: Gauge
  observationsWritten: Counter
  dropped: Counter
  tapErrors: Counter
  decodeFailures: Counter
  truncatedBodies: Counter
  storeErrors: Counter
  /** installs the capture pipeline's stats source (once the pipeline exists) */
  setSource: (source: StatsSource<CaptureStatsSnapshot> | undefined) => void
}

const COUNTERS = [
  [
    'observationsWritten',
    'specter_capture_observations_written_total',
    'Observations the capture pipeline wrote to the store.',
  ],
  [
    'dropped',
    'specter_capture_dropped_total',
    'Exchanges dropped without being observed because the capture queue was full.',
  ],
  [
    'tapErrors',
    'specter_capture_tap_errors_total',
    'Failures inside the tap (copying, observing, writing); never seen by clients.',
  ],
  [
    'decodeFailures',
    'specter_capture_decode_failures_total',
    'Bodies that could not be decoded or parsed (bad gzip/br/deflate, invalid JSON, limits).',
  ],
  [
    'truncatedBodies',
    'specter_capture_truncated_bodies_total',
    'Bodies cut at capture.maxBodyBytes before their shape was recorded.',
  ],
  [
    'storeErrors',
    'specter_capture_store_errors_total',
    'Store writes that failed (disk full, locked or read-only file); the batch is kept in memory and retried.',
  ],
] as const

/** Creates the capture health metrics in `registry`. */
export function createCaptureMetrics(registry: Registry, source?: StatsSource<CaptureStatsSnapshot>): CaptureMetrics {
  const stats: SampledSource<CaptureStatsSnapshot> = sampled(source)
  const syncs = new Map<keyof CaptureStatsSnapshot, CounterSync>()
  const counters = {} as Record<(typeof COUNTERS)[number][0], Counter>
  for (const [key, name, help] of COUNTERS) {
    const counter = new Counter({
      name,
      help,
      registers: [registry],
      async collect() {
        const snap = await stats.read()
        const value = snap?.[key]
        if (value !== undefined) syncs.get(key)?.update(value)
      },
    })
    counters[key] = counter
    syncs.set(key, new CounterSync(counter))
  }
  const queueDepth = new Gauge({
    name: 'specter_capture_queue_depth',
    help: 'Exchanges waiting in the capture queue to be observed and written.',
    registers: [registry],
    async collect() {
      const snap = await stats.read()
      if (snap !== undefined && Number.isFinite(snap.queueDepth)) this.set(snap.queueDepth)
    },
  })
  return { queueDepth, ...counters, setSource: stats.set }
}
