// response-type-mismatch: a response value whose JSON type the documented schema does not allow.
import { responseDrift } from '../drift.js'
import { exampleAt } from '../evidence.js'
import { evidenceOf, type Finding, findingOf } from '../../finding/index.js'
import type { Rule } from '../../finding/index.js'

export const responseTypeMismatch: Rule = {
  id: 'response-type-mismatch',
  severity: 'medium',
  kind: 'drift',
  why: 'A value of another type than documented breaks typed clients and often means the spec or the code is wrong.',
  check(ctx) {
    const out: Finding[] = []
    for (const m of ctx.matches) {
      const op = m.operation
      if (op === undefined) continue
      for (const d of responseDrift(m, ctx.spec, ctx.options)) {
        if (d.kind !== 'type-mismatch') continue
        const status = d.response?.status ?? ''
        const where = d.bodyPath === '' ? 'the body' : d.bodyPath
        out.push(
          findingOf(responseTypeMismatch, {
            method: op.method,
            path: op.template,
            pointer: d.pointer,
            title: `response ${status}: ${where} is ${d.observed}, documented ${d.documented}`,
            evidence: evidenceOf(d.exchanges, {
              count: d.count,
              observed: d.observed,
              documented: d.documented,
              example: exampleAt(m.endpoint, 'response', (s) => d.exchanges.some((e) => e.status === s), d.bodyTokens),
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
