// diff: observed inventory vs published spec -> findings, by a list of small pure rules.
export { compareSeverity, type Evidence, type Finding, findingKey, SEVERITIES, type Severity } from './finding.js'
export type { EndpointMatch, MatchKind } from './match-types.js'
export { DEFAULT_DIFF_OPTIONS, type DiffOptions, type Rule, type RuleContext } from './rule.js'
export { rules } from './rules/index.js'
