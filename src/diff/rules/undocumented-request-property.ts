// undocumented-request-property: the API accepted (2xx) a request body field the spec does not list.
import { requestDrift } from '../drift.js'
import { evidenceOf, type Finding, findingOf } from '../../finding/index.js'
import type { Rule } from '../../finding/index.js'

export const undocumentedRequestProperty: Rule = {
  id: 'undocumented-request-property',
  severity: 'low',
  kind: 'drift',
  why: 'An accepted but undocumented input is untested attack surface (mass assignment hides here).',
  check(ctx) {
    const out: Finding[] = []
    for (const m of ctx.matches) {
      const op = m.operation
      if (op === undefined) continue
      for (const d of requestDrift(m, ctx.spec, ctx.options)) {
        if (d.kind !== 'undocumented-property') continue
        out.push(
          findingOf(undocumentedRequestProperty, {
            severity: d.forbidden === true ? 'medium' : 'low',
            method: op.method,
            path: op.template,
            pointer: d.pointer,
            title: `request body property ${d.bodyPath} is accepted but not documented`,
            evidence: evidenceOf(d.exchanges, {
              count: d.count,
              observed: d.observed,
              documented: d.forbidden === true ? 'additionalProperties: false' : 'not documented',
              details: {
                bodyPath: d.bodyPath,
                mediaType: d.media.mediaType,
                additionalPropertiesFalse: d.forbidden === true,
              },
            }),
            specPointer: d.specPointer,
          }),
        )
      }
    }
    return out
  },
}
