// The report document: what every format renders. Its JSON form is versioned and described by
// src/report/report-schema.json (schemaVersion bumps on any incompatible change).
import type { Finding, Severity } from '../diff/index.js'
import type { SpecDiff } from './spec-to-spec.js'

export const REPORT_SCHEMA_VERSION = 1

export type FindingKind = 'inventory' | 'drift' | 'security'

export interface ReportFinding extends Finding {
  /** id in the findings table (for `specter findings ack`); absent when no store was written */
  id?: number
  kind: FindingKind
  status: 'new' | 'open' | 'acknowledged'
  ackReason?: string
  /** 1-based line in the published spec of the operation's path item (`paths` when undocumented; 0 when unknown) */
  specLine: number
  /** 1-based line of specPointer in the published spec, when it has one there (from src/report/spec-location.ts) */
  specPointerLine?: number
}

export interface RankedOperation {
  method: string
  path: string
  /** 0 to 100: the sum of the points of the factors that apply, capped */
  score: number
  requests: number
  factors: Array<{ factor: string; points: number; reason: string }>
  rules: string[]
}

export interface Report {
  schemaVersion: number
  generatedMs: number
  tool: { name: 'specter'; version: string }
  spec: {
    source: string
    title: string
    apiVersion: string
    /** the OpenAPI or Swagger version as written */
    openapi: string
    operations: number
  }
  observation: {
    requests: number
    endpoints: number
    windowStartMs: number
    windowEndMs: number
    /** observations folded into the store's overflow buckets at its caps: findings may be incomplete */
    overflow: Record<string, number>
  }
  coverage: {
    documentedOperations: number
    observedOperations: number
    observedEndpoints: number
    matchedEndpoints: number
  }
  summary: {
    total: number
    bySeverity: Record<Severity, number>
    byKind: Record<FindingKind, number>
    byRule: Record<string, number>
    new: number
    acknowledged: number
    /** the --fail-on gate, when one was given */
    failOn?: Severity
    /** unacknowledged findings at or above failOn */
    failing: number
  }
  /** operations ranked by the security module's documented risk score (src/security/risk-score.ts), at most 10 */
  riskRanking: RankedOperation[]
  /** the most severe unacknowledged findings, at most 10 */
  topRisks: ReportFinding[]
  findings: ReportFinding[]
  /** present when the spec-to-spec comparison ran; `error` when it could not */
  specDiff?: SpecDiff | { tool: 'openapi-diff'; error: string }
}

/** Findings grouped by operation ('METHOD path'), in report order: the "by operation" sections. */
export function findingsByOperation(findings: readonly ReportFinding[]): Map<string, ReportFinding[]> {
  const groups = new Map<string, ReportFinding[]>()
  for (const f of findings) {
    const key = `${f.method} ${f.path}`
    const list = groups.get(key)
    if (list === undefined) groups.set(key, [f])
    else list.push(f)
  }
  return groups
}

/** The store caps that folded observations into overflow buckets, with counts: findings may be incomplete. */
export function foldedObservations(report: Report): Array<[cap: string, count: number]> {
  return Object.entries(report.observation.overflow).filter(([, n]) => n > 0)
}

/** What every format says when observations were folded (undefined when none were). */
export function incompleteText(report: Report): string | undefined {
  const folded = foldedObservations(report)
  if (folded.length === 0) return undefined
  return `the store folded observations into overflow buckets at its caps (${folded.map(([k, n]) => `${k}: ${n}`).join(', ')}); raise the store limits to see every endpoint.`
}
