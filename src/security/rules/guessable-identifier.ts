// guessable-identifier: an operation returns data addressed by an integer id that is sequential
// or drawn from a small space, so anyone can walk other users' objects by counting (OWASP API1,
// broken object level authorization, is only one missing check away).
import {
  evidenceOf,
  formatShare,
  type Finding,
  findingOf,
  findingPath,
  raiseSeverity,
  type Rule,
  type Severity,
} from '../../finding/index.js'
import { keyWords } from '../sensitive-key.js'
import { endpointAuth } from '../auth-analysis.js'
import { guessableIds } from '../guessable-id.js'
import { escapeToken } from '../../spec/index.js'
import type { ObservedExchange } from '../../store/inventory.js'

const returnsData = (e: ObservedExchange): boolean =>
  e.outcome === 'ok' &&
  e.status >= 200 &&
  e.status < 300 &&
  (e.responseBody !== undefined || Object.keys(e.responseKinds).some((k) => k !== 'none'))

/** The parameter name of a path template's segment (`/users/{userId}`, 1 -> 'userId'), if it is one. */
function segmentName(template: string | undefined, index: number): string | undefined {
  const seg = template?.split('/')[index + 1]
  return seg?.startsWith('{') && seg.endsWith('}') ? seg.slice(1, -1) : undefined
}

/** The documented name of the n-th path parameter, if the template has one. */
function parameterName(template: string | undefined, n: number): string | undefined {
  if (template === undefined) return undefined
  const names = template.split('/').filter((s) => s.startsWith('{') && s.endsWith('}'))
  return names[n]?.slice(1, -1)
}

export const guessableIdentifier: Rule = {
  id: 'guessable-identifier',
  severity: 'low',
  kind: 'security',
  why: 'Sequential or small integer ids let anyone enumerate objects by counting; one missing ownership check then exposes every record.',
  check(ctx) {
    const out: Finding[] = []
    for (const m of ctx.matches) {
      const data = m.endpoint.exchanges.filter(returnsData)
      if (data.length === 0) continue
      const open = endpointAuth(m.endpoint).okWithoutCredentials > 0
      const method = m.endpoint.method.toUpperCase()
      const severity: Severity = open ? raiseSeverity('low', 1) : 'low'
      for (const g of guessableIds(m.endpoint)) {
        const documented = parameterName(m.operation?.template, g.parameter)
        // An undocumented path reads by its inferred name; the pointer keeps the documented name or
        // the segment's position, the identity findings were stored under (a position never changes).
        const name = documented ?? segmentName(m.inferredPath, g.index) ?? `segment${g.index + 1}`
        const pointerName = documented ?? `segment${g.index + 1}`
        out.push(
          findingOf(guessableIdentifier, {
            severity,
            method,
            path: findingPath(m),
            pointer: `/parameters/path/${escapeToken(pointerName)}`,
            title: `path parameter ${name} is a ${g.reason === 'sequential' ? 'sequential' : 'small'} integer id (${g.distinct} distinct values in ${g.min}..${g.max})`,
            evidence: evidenceOf(data, {
              observed: `${g.distinct} distinct ids between ${g.min} and ${g.max} (${formatShare(g.density)} of that range)`,
              details: {
                parameter: name,
                reason: g.reason,
                distinct: g.distinct,
                min: g.min,
                max: g.max,
                density: Number(g.density.toFixed(4)),
                unauthenticated: open,
              },
            }),
          }),
        )
      }
      // Query ids: only their type is recorded, so an integer id is reported at low confidence.
      const seen = new Set<string>()
      for (const e of data) {
        for (const [name, shape] of Object.entries(e.query.obj?.props ?? {})) {
          const words = keyWords(name)
          const last = words[words.length - 1]
          if (seen.has(name) || (last !== 'id' && name.toLowerCase() !== 'id')) continue
          if ((shape.int ?? 0) < shape.n * 0.9) continue
          seen.add(name)
          out.push(
            findingOf(guessableIdentifier, {
              severity: 'info',
              method,
              path: findingPath(m),
              pointer: `/parameters/query/${escapeToken(name)}`,
              title: `query parameter ${name} is an integer id`,
              evidence: evidenceOf(data, {
                observed: 'integer values',
                details: { parameter: name, reason: 'integer-query-id' },
              }),
            }),
          )
        }
      }
    }
    return out
  },
}
