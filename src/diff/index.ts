// diff: observed inventory vs published spec -> findings, by a list of small pure rules.
// The finding model and rule contract live in src/finding (shared with security); re-exported here.
export {
  answered,
  compareSeverity,
  DEFAULT_DIFF_OPTIONS,
  type DiffOptions,
  type EndpointMatch,
  type Evidence,
  type EvidenceUnit,
  evidenceOf,
  type Finding,
  findingKey,
  findingOf,
  type MatchKind,
  mediaFor,
  type Rule,
  type RuleContext,
  requestsOf,
  responseFor,
  SEVERITIES,
  type Severity,
  succeeded,
} from '../finding/index.js'
export { exampleAt } from './evidence.js'
export { isAdminLike, matchEndpoints, serviceKeyOf } from './match.js'
export { rules } from './rules/index.js'
export { isSensitiveName } from './rules/undocumented-response-property.js'
export { compareFindings, type DiffInput, type DiffResult, type DiffStats, diff } from './run-diff.js'
export { compareShape, type SchemaIssue } from './schema-compare.js'
