// Object enumeration, read from the security module's EnumerationTracker.stats() at scrape time:
// how many (client, operation) pairs its last evaluation flagged, and how many pairs it had to
// forget to stay within security.enumeration.maxTracked (a sign the bound is too small).
import { Counter, Gauge, type Registry } from 'prom-client'
import { CounterSync } from './counter-sync.js'
import { type StatsSource, sampled } from './stats-source.js'

export interface SecurityStatsSnapshot {
  /** suspects found by the tracker's last evaluation */
  suspects: number
  /** pairs evicted since start (cumulative) */
  evictedTotal: number
}

export interface SecurityMetrics {
  enumerationSuspects: Gauge
  enumerationEvicted: Counter
  setSource: (source: StatsSource<SecurityStatsSnapshot> | undefined) => void
}

/** Creates the security metrics in `registry`. */
export function createSecurityMetrics(
  registry: Registry,
  source?: StatsSource<SecurityStatsSnapshot>,
): SecurityMetrics {
  const stats = sampled(source)
  const enumerationSuspects = new Gauge({
    name: 'specter_security_enumeration_suspects',
    help: 'Clients reading far more distinct objects of an operation than their peers or the limit (one per client and operation), at the last evaluation.',
    registers: [registry],
    async collect() {
      const snap = await stats.read()
      if (snap !== undefined && Number.isFinite(snap.suspects)) this.set(snap.suspects)
    },
  })
  const enumerationEvicted = new Counter({
    name: 'specter_security_enumeration_evicted_total',
    help: 'Client and operation pairs the enumeration tracker forgot to stay within security.enumeration.maxTracked.',
    registers: [registry],
    async collect() {
      const snap = await stats.read()
      if (snap !== undefined) evicted.update(snap.evictedTotal)
    },
  })
  const evicted = new CounterSync(enumerationEvicted)
  return { enumerationSuspects, enumerationEvicted, setSource: stats.set }
}
