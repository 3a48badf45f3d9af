// undocumented-content-type: a response (any answered exchange) or an accepted request (2xx) with a
// media type the spec does not document for it.
import { escapeToken } from '../../spec/index.js'
import type { ObservedExchange } from '../../store/inventory.js'
import {
  answered,
  evidenceOf,
  type Finding,
  findingOf,
  mediaFor,
  responseFor,
  type Rule,
  succeeded,
} from '../../finding/index.js'

const hasBody = (kinds: Record<string, number>): boolean =>
  Object.keys(kinds).some((k) => k !== 'none' && (kinds[k] ?? 0) > 0)

export const undocumentedContentType: Rule = {
  id: 'undocumented-content-type',
  severity: 'low',
  kind: 'drift',
  why: 'A media type the spec does not list bypasses the documented schema entirely (and parsers written for it).',
  check(ctx) {
    const groups = new Map<
      string,
      {
        finding: Omit<Finding, 'rule' | 'severity' | 'why' | 'evidence'>
        exchanges: ObservedExchange[]
        observed: string
        documented: string
      }
    >()
    const add = (
      key: string,
      finding: Omit<Finding, 'rule' | 'severity' | 'why' | 'evidence'>,
      observed: string,
      documented: string,
      e: ObservedExchange,
    ) => {
      const g = groups.get(key)
      if (g === undefined) groups.set(key, { finding, exchanges: [e], observed, documented })
      else g.exchanges.push(e)
    }
    for (const m of ctx.matches) {
      const op = m.operation
      if (op === undefined || m.endpoint.count < ctx.options.minDriftRequests) continue
      for (const e of m.endpoint.exchanges) {
        if (!answered(e)) continue
        const response = responseFor(op, e.status)
        const ct = e.responseContentType
        // A response documented without content says nothing about its media type: no verdict.
        // A Content-Type header on an empty body (HEAD, 304, a GET with a stray header) is not a body.
        if (
          hasBody(e.responseKinds) &&
          response !== undefined &&
          ct !== '' &&
          response.content.length > 0 &&
          mediaFor(response.content, ct) === undefined
        ) {
          const pointer = `/responses/${escapeToken(response.status)}/content/${escapeToken(ct)}`
          const documented = response.content.map((c) => c.mediaType).join(', ')
          add(
            `${op.method} ${op.template} ${pointer}`,
            {
              method: op.method,
              path: op.template,
              pointer,
              title: `response ${response.status} sent as ${ct}, documented ${documented}`,
              specPointer:
                response.location.source === ctx.spec.source ? response.location.pointer : op.location.pointer,
            },
            ct,
            documented,
            e,
          )
        }
        const rct = e.requestContentType
        if (!succeeded(e) || rct === '' || !hasBody(e.requestKinds)) continue
        const body = op.requestBody
        if (body !== undefined && body.content.length > 0 && mediaFor(body.content, rct) !== undefined) continue
        const pointer = `/requestBody/content/${escapeToken(rct)}`
        const documented =
          body === undefined ? 'no request body' : body.content.map((c) => c.mediaType).join(', ') || 'no media type'
        add(
          `${op.method} ${op.template} ${pointer}`,
          {
            method: op.method,
            path: op.template,
            pointer,
            title: `request body accepted as ${rct}, documented ${documented}`,
            specPointer: op.location.pointer,
          },
          rct,
          documented,
          e,
        )
      }
    }
    return [...groups.values()].map((g) =>
      findingOf(undocumentedContentType, {
        ...g.finding,
        evidence: evidenceOf(g.exchanges, { observed: g.observed, documented: g.documented }),
      }),
    )
  },
}
