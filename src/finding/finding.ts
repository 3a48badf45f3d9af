// A finding: one rule's verdict on one operation (and a place inside it), with its evidence.
// Rule ids are stable kebab-case; an id that has shipped is never renamed.

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical'

export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical']

/** Compares severities: negative when a is lower than b. */
export const compareSeverity = (a: Severity, b: Severity): number => SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b)

/** A severity raised by `steps` levels, capped at critical. */
export const raiseSeverity = (severity: Severity, steps: number): Severity =>
  SEVERITIES[Math.min(SEVERITIES.length - 1, SEVERITIES.indexOf(severity) + steps)] as Severity

/**
 * What an evidence count counts: requests; body values (one response can hold many, since a field
 * repeats once per array item and the classifier tags values, not requests); or distinct objects.
 */
export type EvidenceUnit = 'requests' | 'values' | 'objects'

export interface Evidence {
  /** how many `unit`s showed the problem */
  count: number
  /** what count counts; every rule says so (absent only in findings stored before units: requests) */
  unit?: EvidenceUnit
  /** requests observed behind a count of values, when the unit is not requests */
  requests?: number
  firstSeenMs: number
  lastSeenMs: number
  /** what traffic showed, e.g. 'integer' or '200 application/json' */
  observed?: string
  /** what the spec says, when it says anything */
  documented?: string
  /** a redacted example, bounded */
  example?: string
  /** further facts, rule-specific (numbers and short strings only; never secret values) */
  details?: Record<string, string | number | boolean>
}

export interface Finding {
  /** stable rule id, e.g. 'shadow-operation' */
  rule: string
  severity: Severity
  /** upper-case HTTP method, or '*' for findings about a whole path prefix */
  method: string
  /** the documented template when matched, else the one inference gives the undocumented path */
  path: string
  /** JSON pointer inside the operation ('' for the operation itself) */
  pointer: string
  /** one line: what was found */
  title: string
  /** one line: why it matters */
  why: string
  evidence: Evidence
  /** where in the published spec the finding points (for SARIF and reports) */
  specPointer?: string
  /** for grouped findings (shadow-service): the operations under it, as 'METHOD path' */
  operations?: string[]
  /**
   * When `path` is an inferred template: the observed path keys it names (`/admin/users/{int}`),
   * where they differ from it. They tie the finding to rows stored under an earlier name.
   */
  pathKeys?: string[]
}

/** Requests behind a finding's evidence, when known (undefined for a count of distinct objects). */
export const requestsOf = (e: Evidence): number | undefined =>
  e.unit === undefined || e.unit === 'requests' ? e.count : e.requests

/** The identity of a finding across runs: same key, same finding (for first/last seen and acks). */
export const findingKey = (f: Pick<Finding, 'rule' | 'method' | 'path' | 'pointer'>): string =>
  `${f.rule} ${f.method} ${f.path} ${f.pointer}`
