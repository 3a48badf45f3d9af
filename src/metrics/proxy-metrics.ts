// The proxy's own state, read from its stats() at scrape time: requests in flight, and
// failures of the hand-off to the capture sink or the metrics hook (swallowed, never seen by
// clients, but a sign the observer is losing exchanges).
import { Counter, Gauge, type Registry } from 'prom-client'
import { CounterSync } from './counter-sync.js'
import { type StatsSource, sampled } from './stats-source.js'

export interface ProxyStatsSnapshot {
  /** requests being proxied right now */
  inFlight: number
  /** sink.submit threw (cumulative) */
  sinkErrors: number
  /** onExchangeEnd threw (cumulative) */
  hookErrors: number
}

export interface ProxyMetrics {
  inFlight: Gauge
  handoffErrors: Counter<'stage'>
  setSource: (source: StatsSource<ProxyStatsSnapshot> | undefined) => void
}

/** Creates the proxy state metrics in `registry`. */
export function createProxyMetrics(registry: Registry, source?: StatsSource<ProxyStatsSnapshot>): ProxyMetrics {
  const stats = sampled(source)
  const inFlight = new Gauge({
    name: 'specter_proxy_in_flight_requests',
    help: 'Requests being proxied right now.',
    registers: [registry],
    async collect() {
      const snap = await stats.read()
      if (snap !== undefined && Number.isFinite(snap.inFlight)) this.set(snap.inFlight)
    },
  })
  const syncs = new Map<'sink' | 'hook', CounterSync>()
  const handoffErrors = new Counter({
    name: 'specter_proxy_handoff_errors_total',
    help: 'Finished exchanges the proxy failed to hand to the capture sink (stage="sink") or the metrics hook (stage="hook").',
    labelNames: ['stage'] as const,
    registers: [registry],
    async collect() {
      const snap = await stats.read()
      if (snap === undefined) return
      syncs.get('sink')?.update(snap.sinkErrors)
      syncs.get('hook')?.update(snap.hookErrors)
    },
  })
  for (const stage of ['sink', 'hook'] as const) {
    handoffErrors.inc({ stage }, 0)
    syncs.set(stage, new CounterSync(handoffErrors, { stage }))
  }
  return { inFlight, handoffErrors, setSource: stats.set }
}
