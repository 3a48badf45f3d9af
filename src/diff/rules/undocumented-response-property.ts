// undocumented-response-property: a response field the documented schema does not list. Higher when
// the schema forbids extra properties (a broken contract) or the field looks sensitive (a leak).
import { PERSONAL_CATEGORIES, SECRET_CATEGORIES } from '../../security/index.js'
import { responseDrift } from '../drift.js'
import { exampleAt } from '../evidence.js'
import { evidenceOf, type Finding, findingOf, type Severity } from '../../finding/index.js'
import type { Rule } from '../../finding/index.js'

// Field names that usually hold secrets or personal data. Anchored by word pieces; input capped.
const SENSITIVE =
  /(pass(word|wd|phrase)?|pwd|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|credential|session|ssn|social[-_]?security|card[-_]?(number|no|num)|pan|cvv|cvc|iban|salt|hash|otp|pin|dob|birth|tax[-_]?id|national[-_]?id)/i

/** True when a property name looks like it holds a secret or personal data. */
export const isSensitiveName = (name: string): boolean => SENSITIVE.test(name.slice(0, 100))

export const undocumentedResponseProperty: Rule = {
  id: 'undocumented-response-property',
  severity: 'low',
  kind: 'drift',
  why: 'Fields the spec does not list are invisible to reviewers and clients; they are how internal data leaks out.',
  check(ctx) {
    const out: Finding[] = []
    for (const m of ctx.matches) {
      const op = m.operation
      if (op === undefined) continue
      for (const d of responseDrift(m, ctx.spec, ctx.options)) {
        if (d.kind !== 'undocumented-property') continue
        const name = d.bodyTokens[d.bodyTokens.length - 1] ?? ''
        // The classifier's categories count; a bare 'token' tag (any long mixed run, ids included) does not.
        const categories = (d.tags ?? []).filter((t) => PERSONAL_CATEGORIES.has(t) || SECRET_CATEGORIES.has(t))
        const sensitive = isSensitiveName(name) || categories.length > 0
        const severity: Severity = sensitive ? 'high' : d.forbidden === true ? 'medium' : 'low'
        const status = d.response?.status ?? ''
        const details: Record<string, string | number | boolean> = {
          bodyPath: d.bodyPath,
          status,
          mediaType: d.media.mediaType,
          additionalPropertiesFalse: d.forbidden === true,
          sensitiveName: isSensitiveName(name),
        }
        if (categories.length > 0) details['categories'] = categories.join(',')
        out.push(
          findingOf(undocumentedResponseProperty, {
            severity,
            method: op.method,
            path: op.template,
            pointer: d.pointer,
            title: `response ${status} has undocumented property ${d.bodyPath}${sensitive ? ' (looks sensitive)' : ''}`,
            evidence: evidenceOf(d.exchanges, {
              count: d.count,
              observed: d.observed,
              documented: d.forbidden === true ? 'additionalProperties: false' : 'not documented',
              example: exampleAt(m.endpoint, 'response', (s) => d.exchanges.some((e) => e.status === s), d.bodyTokens),
              details,
            }),
            specPointer: d.specPointer,
          }),
        )
      }
    }
    return out
  },
}
