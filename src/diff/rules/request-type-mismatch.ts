// request-type-mismatch: the API accepted (2xx) a request body value of a type the spec does not allow.
import { requestDrift } from '../drift.js'
import { evidenceOf, type Finding, findingOf } from '../../finding/index.js'
import type { Rule } from '../../finding/index.js'

export const requestTypeMismatch: Rule = {
  id: 'request-type-mismatch',
  severity: 'medium',
  kind: 'drift',
  why: 'The server accepts input the spec says is invalid: its validation is looser than documented.',
  check(ctx) {
    const out: Finding[] = []
    for (const m of ctx.matches) {
      const op = m.operation
      if (op === undefined) continue
      for (const d of requestDrift(m, ctx.spec, ctx.options)) {
        if (d.kind !== 'type-mismatch') continue
        const where = d.bodyPath === '' ? 'the body' : d.bodyPath
        out.push(
          findingOf(requestTypeMismatch, {
            method: op.method,
            path: op.template,
            pointer: d.pointer,
            title: `request ${where} accepted as ${d.observed}, documented ${d.documented}`,
            evidence: evidenceOf(d.exchanges, {
              count: d.count,
              observed: d.observed,
              documented: d.documented,
              details: { bodyPath: d.bodyPath, mediaType: d.media.mediaType },
            }),
            specPointer: d.specPointer,
          }),
        )
      }
    }
    return out
  },
}
