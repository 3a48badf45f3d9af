// Runs the rule list over an inventory and a spec: matching first, then every rule, then one
// deterministic, de-duplicated list of findings.
import {
  compareSeverity,
  DEFAULT_DIFF_OPTIONS,
  type DiffOptions,
  type EndpointMatch,
  type Finding,
  findingKey,
  findingPath,
  type Rule,
} from '../finding/index.js'
import type { PathPins } from '../infer/index.js'
import type { SpecModel } from '../spec/index.js'
import type { Inventory } from '../store/inventory.js'
import { matchEndpoints } from './match.js'
import { observationWindow } from './observation-window.js'
import { crossReferenceFields } from './overlaps.js'
import { rules as defaultRules } from './rules/index.js'

export interface DiffInput {
  inventory: Inventory
  spec: SpecModel
  /** the clock, passed in */
  now: number
  options?: Partial<DiffOptions>
  /** the rules to run (default: every rule in src/diff/rules) */
  rules?: readonly Rule[]
  facts?: Readonly<Record<string, unknown>>
  /** configured path pins (`paths.templates`, `paths.literals`): undocumented paths are named as `specter infer` names them */
  pins?: PathPins
}

export interface DiffStats {
  documentedOperations: number
  /** observed endpoints, not counting the undocumented ones that only ever answered 404 */
  observedEndpoints: number
  /** undocumented endpoints that only ever answered 404 (DiffResult.notFound) */
  notFoundEndpoints: number
  /** observed endpoints matched to a documented operation */
  matchedEndpoints: number
  /** documented operations with traffic */
  observedOperations: number
  observedRequests: number
  windowStartMs: number
  windowEndMs: number
  /** observations the store folded into overflow buckets at its caps, by cap (see Inventory.overflow) */
  overflow: Record<string, number>
}

export interface DiffResult {
  findings: Finding[]
  /** the observed endpoints, matched; those that only ever answered 404 are in `notFound` instead */
  matches: EndpointMatch[]
  /** undocumented endpoints that only ever answered 404: no API surface, reported by probed-paths only */
  notFound: EndpointMatch[]
  stats: DiffStats
}

/** Orders findings: most severe first, then by path, method, rule and pointer. */
export function compareFindings(a: Finding, b: Finding): number {
  const s = compareSeverity(b.severity, a.severity)
  if (s !== 0) return s
  const ka = [a.path, a.method, a.rule, a.pointer]
  const kb = [b.path, b.method, b.rule, b.pointer]
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return (ka[i] as string) < (kb[i] as string) ? -1 : 1
  }
  return 0
}

function mergeDuplicate(a: Finding, b: Finding): Finding {
  return {
    ...a,
    severity: compareSeverity(a.severity, b.severity) >= 0 ? a.severity : b.severity,
    evidence: {
      ...a.evidence,
      count: a.evidence.count + b.evidence.count,
      firstSeenMs: Math.min(a.evidence.firstSeenMs, b.evidence.firstSeenMs),
      lastSeenMs: Math.max(a.evidence.lastSeenMs, b.evidence.lastSeenMs),
    },
  }
}

/** Compares observed traffic with the published spec. Pure: no I/O, no clock. */
export function diff(input: DiffInput): DiffResult {
  const options: DiffOptions = { ...DEFAULT_DIFF_OPTIONS, ...input.options }
  const all = matchEndpoints(input.inventory, input.spec, options, input.pins)
  // Paths that do not exist (only ever 404) are no operations: no rule but probed-paths sees them.
  const matches = all.filter((m) => m.notFound !== true)
  const notFound = all.filter((m) => m.notFound === true)
  const ctx = {
    inventory: input.inventory,
    spec: input.spec,
    matches,
    notFound,
    now: input.now,
    options,
    facts: input.facts ?? {},
  }
  const byKey = new Map<string, Finding>()
  for (const rule of input.rules ?? defaultRules) {
    for (const f of rule.check(ctx)) {
      const key = findingKey(f)
      const prev = byKey.get(key)
      // Two observed endpoints can land on one documented operation (/users/{int}, /users/{uuid}).
      byKey.set(key, prev === undefined ? f : mergeDuplicate(prev, f))
    }
  }
  const merged = [...byKey.values()]
  crossReferenceFields(merged)
  const findings = merged.sort(compareFindings)
  // Findings named by an inferred template keep the observed path keys behind the name.
  const observedKeys = new Map<string, Set<string>>()
  for (const m of matches) {
    if (m.inferredPath === undefined || findingPath(m) !== m.inferredPath) continue
    const key = `${m.endpoint.method.toUpperCase()} ${m.inferredPath}`
    observedKeys.set(key, (observedKeys.get(key) ?? new Set()).add(m.endpoint.pathKey))
  }
  for (const f of findings) {
    const keys = [...(observedKeys.get(`${f.method} ${f.path}`) ?? [])].sort()
    if (keys.some((k) => k !== f.path)) f.pathKeys = keys
  }
  const window = observationWindow(input.inventory.endpoints)
  const observedOps = new Set(matches.flatMap((m) => (m.operation !== undefined ? [m.operation] : [])))
  return {
    findings,
    matches,
    notFound,
    stats: {
      documentedOperations: input.spec.operations.length,
      observedEndpoints: matches.length,
      notFoundEndpoints: notFound.length,
      matchedEndpoints: matches.filter((m) => m.kind === 'documented').length,
      observedOperations: observedOps.size,
      observedRequests: window.requests,
      windowStartMs: window.firstSeenMs,
      windowEndMs: window.lastSeenMs,
      overflow: { ...input.inventory.overflow },
    },
  }
}
