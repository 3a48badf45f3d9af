// missing-required-response-property: a property the documented response schema requires is absent.
import { responseDrift } from '../drift.js'
import { evidenceOf, type Finding, findingOf } from '../../finding/index.js'
import type { Rule } from '../../finding/index.js'

export const missingRequiredResponseProperty: Rule = {
  id: 'missing-required-response-property',
  severity: 'medium',
  kind: 'drift',
  why: 'Clients generated from the spec trust required fields to be there; their absence breaks them at runtime.',
  check(ctx) {
    const out: Finding[] = []
    for (const m of ctx.matches) {
      const op = m.operation
      if (op === undefined) continue
      for (const d of responseDrift(m, ctx.spec, ctx.options)) {
        if (d.kind !== 'missing-required') continue
        const status = d.response?.status ?? ''
        out.push(
          findingOf(missingRequiredResponseProperty, {
            method: op.method,
            path: op.template,
            pointer: d.pointer,
            title: `response ${status} lacks required property ${d.bodyPath}`,
            evidence: evidenceOf(d.exchanges, {
              count: d.count,
              observed: d.observed,
              documented: d.documented,
              details: { bodyPath: d.bodyPath, status, mediaType: d.media.mediaType },
            }),
            specPointer: d.specPointer,
          }),
        )
      }
    }
    return out
  },
}
