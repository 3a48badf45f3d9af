// finding: the finding model and the rule contract that diff's and security's rules share, with
// the helpers every rule uses. Pure. diff and security both depend on it; it depends on neither.
export { bodyPathText, itemPath, mapValuePath, propertyPath } from './body-path.js'
export { counted, formatDuration, formatShare } from './wording.js'
export {
  answered,
  type EvidenceExtra,
  endpointEvidence,
  evidenceOf,
  findingOf,
  findingPath,
  mediaFor,
  responseFor,
  succeeded,
} from './evidence.js'
export {
  compareSeverity,
  type Evidence,
  type EvidenceUnit,
  type Finding,
  findingKey,
  raiseSeverity,
  requestsOf,
  SEVERITIES,
  type Severity,
} from './finding.js'
export type { EndpointMatch, MatchKind } from './match-types.js'
export { DEFAULT_DIFF_OPTIONS, type DiffOptions, type Rule, type RuleContext } from './rule.js'
