// undocumented-response-status: the operation answered with a status code the spec does not list.
import { escapeToken } from '../../spec/index.js'
import type { ObservedExchange } from '../../store/inventory.js'
import { answered, evidenceOf, type Finding, findingOf, responseFor, type Rule } from '../../finding/index.js'

export const undocumentedResponseStatus: Rule = {
  id: 'undocumented-response-status',
  severity: 'low',
  kind: 'drift',
  why: 'Clients cannot handle outcomes the spec does not announce; an undocumented 2xx is an undocumented behaviour.',
  check(ctx) {
    const out: Finding[] = []
    for (const m of ctx.matches) {
      const op = m.operation
      if (op === undefined || m.endpoint.count < ctx.options.minDriftRequests) continue
      const byStatus = new Map<number, ObservedExchange[]>()
      for (const e of m.endpoint.exchanges) {
        if (!answered(e) || responseFor(op, e.status) !== undefined) continue
        byStatus.set(e.status, [...(byStatus.get(e.status) ?? []), e])
      }
      const documented = op.responses.map((r) => r.status).join(', ') || 'none'
      for (const [status, exchanges] of [...byStatus].sort((a, b) => a[0] - b[0])) {
        out.push(
          findingOf(undocumentedResponseStatus, {
            severity: status >= 200 && status < 300 ? 'medium' : 'low',
            method: op.method,
            path: op.template,
            pointer: `/responses/${escapeToken(String(status))}`,
            title: `answered ${status}, which is not documented (documented: ${documented})`,
            evidence: evidenceOf(exchanges, { observed: String(status), documented }),
            specPointer: `${op.location.pointer}/responses`,
          }),
        )
      }
    }
    return out
  },
}
