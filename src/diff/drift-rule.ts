// The walk the schema drift rules share: every matched operation, every drift issue of one side
// and kind, one finding each with the same operation, pointers and evidence. A rule built with
// driftRule states only what differs: its side, its issue kind, and how the finding reads.
import {
  bodyPathText,
  evidenceOf,
  type Finding,
  findingOf,
  type Rule,
  type RuleContext,
  type Severity,
} from '../finding/index.js'
import { type DriftIssue, requestDrift, responseDrift } from './drift.js'
import { exampleAt } from './evidence.js'
import type { SchemaIssueKind } from './schema-compare.js'

/** What a drift rule says about one issue; everything else comes from the issue itself. */
export interface DriftVerdict {
  title: string
  /** when the rule raises or lowers its default */
  severity?: Severity
  /** default: what the schema says (the issue's `documented`) */
  documented?: string
  /** attach a redacted example excerpt of the value (response side) */
  example?: boolean
  /** rule-specific facts, after bodyPath, status and mediaType */
  details?: Record<string, string | number | boolean>
}

export interface DriftRuleSpec extends Pick<Rule, 'id' | 'severity' | 'why'> {
  side: 'request' | 'response'
  issue: SchemaIssueKind
  /** how the finding reads */
  verdict: (d: DriftIssue) => DriftVerdict
}

/** The documented response status of an issue ('' on the request side). */
export const statusOf = (d: DriftIssue): string => d.response?.status ?? ''

/** Where in the body an issue is, readable ('the body' for the body itself). */
export const whereOf = (d: DriftIssue): string => bodyPathText(d.bodyPath)

/** A schema drift rule: `{ id, severity, kind: 'drift', why, check }` over one side and issue kind. */
export function driftRule(spec: DriftRuleSpec): Rule {
  const drift = spec.side === 'response' ? responseDrift : requestDrift
  const rule: Rule = {
    id: spec.id,
    severity: spec.severity,
    kind: 'drift',
    why: spec.why,
    check(ctx: RuleContext) {
      const out: Finding[] = []
      for (const m of ctx.matches) {
        const op = m.operation
        if (op === undefined) continue
        for (const d of drift(m, ctx.spec, ctx.options)) {
          if (d.kind !== spec.issue) continue
          const v = spec.verdict(d)
          const where =
            spec.side === 'response' ? { bodyPath: d.bodyPath, status: statusOf(d) } : { bodyPath: d.bodyPath }
          out.push(
            findingOf(rule, {
              ...(v.severity === undefined ? {} : { severity: v.severity }),
              method: op.method,
              path: op.template,
              pointer: d.pointer,
              title: v.title,
              evidence: evidenceOf(d.exchanges, {
                count: d.count,
                unit: 'values',
                observed: d.observed,
                documented: v.documented ?? d.documented,
                example:
                  v.example === true
                    ? exampleAt(m.endpoint, spec.side, (s) => d.exchanges.some((e) => e.status === s), d.bodyTokens)
                    : undefined,
                details: { ...where, mediaType: d.media.mediaType, ...v.details },
              }),
              specPointer: d.specPointer,
            }),
          )
        }
      }
      return out
    },
  }
  return rule
}
