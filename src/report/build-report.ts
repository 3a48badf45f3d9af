// Assembles the report document from a diff result (and, when a store was written, the stored
// findings' ids and statuses). Pure: the clock comes in as generatedMs.
import {
  compareSeverity,
  type DiffResult,
  type Finding,
  findingKey,
  requestsOf,
  rules,
  SEVERITIES,
  type Severity,
} from '../diff/index.js'
import { rankRisks } from '../security/index.js'
import type { SpecModel } from '../spec/index.js'
import type { StoredFinding } from './finding-store.js'
import { type FindingKind, REPORT_SCHEMA_VERSION, type Report, type ReportFinding } from './report-model.js'
import { specLocationOf } from './spec-location.js'
import type { SpecDiff } from './spec-to-spec.js'

export interface BuildReportInput {
  spec: SpecModel
  result: DiffResult
  generatedMs: number
  toolVersion: string
  /** the findings' stored rows, from FindingStore.upsert or .peek (ids, new/open/acknowledged); a finding without one is new */
  stored?: readonly StoredFinding[]
  failOn?: Severity
  specDiff?: Report['specDiff']
}

const KIND_OF = new Map(rules.map((r) => [r.id, r.kind]))

/** The kind of a rule id ('security' for rules outside this list, such as the security module's). */
export const kindOf = (ruleId: string): FindingKind => KIND_OF.get(ruleId) ?? 'security'

// Ties among top risks go to the finding with more traffic behind it, whatever its count counts.
const trafficOf = (f: Finding): number => requestsOf(f.evidence) ?? f.evidence.count

/** True when a finding counts against a --fail-on gate. */
export const isFailing = (f: ReportFinding, failOn: Severity | undefined): boolean =>
  failOn !== undefined && f.status !== 'acknowledged' && compareSeverity(f.severity, failOn) >= 0

/** Builds the report document. */
export function buildReport(input: BuildReportInput): Report {
  const stored = new Map((input.stored ?? []).map((s) => [findingKey(s), s]))
  const findings: ReportFinding[] = input.result.findings.map((f) => {
    const s = stored.get(findingKey(f))
    const out: ReportFinding = {
      ...f,
      kind: kindOf(f.rule),
      status: s?.status ?? 'new',
      ...specLocationOf(input.spec, f),
    }
    if (s !== undefined) out.id = s.id
    if (s?.ackReason !== undefined) out.ackReason = s.ackReason
    return out
  })
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>
  const byKind: Record<FindingKind, number> = { inventory: 0, drift: 0, security: 0 }
  const byRule: Record<string, number> = {}
  for (const f of findings) {
    bySeverity[f.severity]++
    byKind[f.kind]++
    byRule[f.rule] = (byRule[f.rule] ?? 0) + 1
  }
  const topRisks = findings
    .filter((f) => f.status !== 'acknowledged' && compareSeverity(f.severity, 'medium') >= 0)
    .sort((a, b) => compareSeverity(b.severity, a.severity) || trafficOf(b) - trafficOf(a))
    .slice(0, 10)
  // Acknowledged findings are accepted risks: they do not push an operation up the ranking.
  const riskRanking = rankRisks({
    matches: input.result.matches,
    findings: findings.filter((f) => f.status !== 'acknowledged'),
  })
    .slice(0, 10)
    .map((r) => ({
      method: r.method,
      path: r.path,
      score: r.score,
      requests: r.requests,
      factors: r.components.map((c) => ({ factor: c.factor, points: c.points, reason: c.reason })),
      rules: [...r.rules],
    }))
  const { stats } = input.result
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedMs: input.generatedMs,
    tool: { name: 'specter', version: input.toolVersion },
    spec: {
      source: input.spec.source,
      title: input.spec.title,
      apiVersion: input.spec.apiVersion,
      openapi: input.spec.versionString,
      operations: input.spec.operations.length,
    },
    observation: {
      requests: stats.observedRequests,
      endpoints: stats.observedEndpoints,
      windowStartMs: stats.windowStartMs,
      windowEndMs: stats.windowEndMs,
      overflow: stats.overflow,
    },
    coverage: {
      documentedOperations: stats.documentedOperations,
      observedOperations: stats.observedOperations,
      observedEndpoints: stats.observedEndpoints,
      matchedEndpoints: stats.matchedEndpoints,
    },
    summary: {
      total: findings.length,
      bySeverity,
      byKind,
      byRule: Object.fromEntries(Object.entries(byRule).sort(([a], [b]) => (a < b ? -1 : 1))),
      new: findings.filter((f) => f.status === 'new').length,
      acknowledged: findings.filter((f) => f.status === 'acknowledged').length,
      failing: findings.filter((f) => isFailing(f, input.failOn)).length,
    },
    riskRanking,
    topRisks,
    findings,
  }
  if (input.failOn !== undefined) report.summary.failOn = input.failOn
  if (input.specDiff !== undefined) report.specDiff = input.specDiff
  return report
}

export type { SpecDiff }
