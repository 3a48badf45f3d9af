// The rule contract: a diff or security rule is data, `{ id, severity, why, check }`, in the list in
// src/diff/rules/index.ts. Adding a rule means one file, one list entry, one fixture. Rules are pure:
// everything they may look at is in the context, including the clock (`now`).
import type { SpecModel } from '../spec/index.js'
import type { Inventory } from '../store/inventory.js'
import type { Finding, Severity } from './finding.js'
import type { EndpointMatch } from './match-types.js'

export interface DiffOptions {
  /** unobserved-operation is reported only when traffic spans at least this long */
  minObservationWindowMs: number
  /** ... and only when at least this many requests were observed in total */
  minObservedRequests: number
  /** an undocumented prefix becomes a shadow-service with at least this many operations under it (admin-like prefixes: 1) */
  minServiceOperations: number
  /** drift rules (schemas, statuses, content types) skip endpoints with fewer requests than this */
  minDriftRequests: number
  /** at most this many schema findings per operation and direction, so one broken schema cannot flood a report */
  maxSchemaFindingsPerOperation: number
}

export const DEFAULT_DIFF_OPTIONS: Readonly<DiffOptions> = Object.freeze({
  minObservationWindowMs: 60 * 60 * 1000,
  minObservedRequests: 100,
  minServiceOperations: 2,
  minDriftRequests: 1,
  maxSchemaFindingsPerOperation: 50,
})

export interface RuleContext {
  inventory: Inventory
  spec: SpecModel
  /** one entry per observed endpoint, in inventory order, except those in `notFound` */
  matches: EndpointMatch[]
  /** undocumented endpoints that only ever answered 404 (not API surface; see EndpointMatch.notFound) */
  notFound: EndpointMatch[]
  /** the clock, passed in (rules never read it themselves) */
  now: number
  options: DiffOptions
  /**
   * Facts other modules computed for rules (the security module's classifications, for instance),
   * keyed by their owner's name. Rules that need a fact and do not find it return no findings.
   */
  facts: Readonly<Record<string, unknown>>
}

export interface Rule {
  /** stable kebab-case id; never renamed once shipped */
  id: string
  /** the default severity; a rule may raise or lower it per finding (and says why in the finding) */
  severity: Severity
  /** one line: why this matters (copied into each finding) */
  why: string
  /** 'drift' rules compare schemas; 'inventory' rules find shadow, zombie and unobserved operations; 'security' */
  kind: 'inventory' | 'drift' | 'security'
  check: (ctx: RuleContext) => Finding[]
}
