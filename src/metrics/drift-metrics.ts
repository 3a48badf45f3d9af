// The drift itself as live gauges, from the latest diff of traffic against the published spec:
// shadow operations, open findings by rule and severity, documented operations never observed.
import { Gauge, type Registry } from 'prom-client'
import { type StatsSource, sampled } from './stats-source.js'

export interface DriftSnapshot {
  /** operations seen in traffic but absent from the published spec */
  shadowOperations: number
  /** documented operations with no traffic observed */
  unobservedOperations: number
  /** open (not acknowledged) findings, counted by rule and severity */
  findingsOpen: Array<{ rule: string; severity: string; count: number }>
  /** when the diff behind this snapshot ran, epoch milliseconds */
  lastRunMs?: number | undefined
}

export interface DriftMetrics {
  shadowOperations: Gauge
  unobservedOperations: Gauge
  findingsOpen: Gauge<'rule' | 'severity'>
  lastRun: Gauge
  setSource: (source: StatsSource<DriftSnapshot> | undefined) => void
}

const SEVERITY_LABELS: ReadonlySet<string> = new Set(['info', 'low', 'medium', 'high', 'critical'])
// Rule ids come from code, a small fixed list; the cap only guards against a bug upstream.
const MAX_RULES = 64
const RULE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/

/** Creates the drift gauges in `registry`. */
export function createDriftMetrics(registry: Registry, source?: StatsSource<DriftSnapshot>): DriftMetrics {
  const stats = sampled(source)
  const registers = [registry]
  const shadowOperations = new Gauge({
    name: 'specter_drift_shadow_operations',
    help: 'Operations seen in traffic but absent from the published spec (shadow endpoints).',
    registers,
    async collect() {
      const snap = await stats.read()
      if (snap !== undefined && Number.isFinite(snap.shadowOperations)) this.set(snap.shadowOperations)
    },
  })
  const unobservedOperations = new Gauge({
    name: 'specter_drift_unobserved_operations',
    help: 'Documented operations with no observed traffic.',
    registers,
    async collect() {
      const snap = await stats.read()
      if (snap !== undefined && Number.isFinite(snap.unobservedOperations)) this.set(snap.unobservedOperations)
    },
  })
  const findingsOpen = new Gauge({
    name: 'specter_drift_findings_open',
    help: 'Open (unacknowledged) findings by rule id and severity.',
    labelNames: ['rule', 'severity'] as const,
    registers,
    async collect() {
      const snap = await stats.read()
      if (snap === undefined) return
      // Rebuilt from scratch each scrape so that resolved or acknowledged findings drop to no series.
      this.reset()
      const rules = new Set<string>()
      for (const { rule, severity, count } of snap.findingsOpen) {
        if (!Number.isFinite(count)) continue
        let ruleLabel = RULE_ID.test(rule) ? rule : 'other'
        if (!rules.has(ruleLabel) && rules.size >= MAX_RULES) ruleLabel = 'other'
        rules.add(ruleLabel)
        const labels = { rule: ruleLabel, severity: SEVERITY_LABELS.has(severity) ? severity : 'unknown' }
        this.inc(labels, count)
      }
    },
  })
  const lastRun = new Gauge({
    name: 'specter_drift_last_run_timestamp_seconds',
    help: 'When the diff behind the drift gauges last ran (Unix time).',
    registers,
    async collect() {
      const snap = await stats.read()
      if (snap?.lastRunMs !== undefined && Number.isFinite(snap.lastRunMs)) this.set(snap.lastRunMs / 1000)
    },
  })
  return { shadowOperations, unobservedOperations, findingsOpen, lastRun, setSource: stats.set }
}
