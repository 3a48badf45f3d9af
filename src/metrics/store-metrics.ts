// Store health: how long batched writes take (observed by the store as it writes) and how big
// the store is (read at scrape time): DB size, and the operations and shapes it knows.
import { Gauge, Histogram, type Registry } from 'prom-client'
import { type StatsSource, sampled } from './stats-source.js'

/** Write batches run off the request path; they should stay in the low milliseconds. */
export const WRITE_BATCH_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]

export interface StoreStatsSnapshot {
  /** database file plus its WAL, bytes */
  dbSizeBytes: number
  /** distinct operations (method + path key) known */
  operations: number
  /** distinct shapes recorded (per operation, status and content type) */
  shapes: number
}

export interface StoreMetrics {
  writeBatchDuration: Histogram
  dbSize: Gauge
  operations: Gauge
  shapes: Gauge
  /** records one write batch; the store calls it (through the capture pipeline) after each commit */
  observeWriteBatch: (durationMs: number) => void
  setSource: (source: StatsSource<StoreStatsSnapshot> | undefined) => void
}

/** Creates the store health metrics in `registry`. */
export function createStoreMetrics(registry: Registry, source?: StatsSource<StoreStatsSnapshot>): StoreMetrics {
  const stats = sampled(source)
  const registers = [registry]
  const gauge = (name: string, help: string, key: keyof StoreStatsSnapshot): Gauge =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        const snap = await stats.read()
        if (snap !== undefined && Number.isFinite(snap[key])) this.set(snap[key])
      },
    })
  const writeBatchDuration = new Histogram({
    name: 'specter_store_write_batch_duration_seconds',
    help: 'Time to write one batch of observations to the store, in one transaction.',
    buckets: WRITE_BATCH_BUCKETS_SECONDS,
    registers,
  })
  return {
    writeBatchDuration,
    dbSize: gauge('specter_store_db_size_bytes', 'Size of the SQLite store on disk (database and WAL).', 'dbSizeBytes'),
    operations: gauge(
      'specter_store_operations',
      'Distinct operations (method and path) the store knows.',
      'operations',
    ),
    shapes: gauge('specter_store_shapes', 'Distinct request/response shapes the store holds.', 'shapes'),
    observeWriteBatch: (durationMs) => {
      if (Number.isFinite(durationMs) && durationMs >= 0) writeBatchDuration.observe(durationMs / 1000)
    },
    setSource: stats.set,
  }
}
