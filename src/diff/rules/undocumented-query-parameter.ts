// undocumented-query-parameter: the API accepted (2xx) a query parameter the spec does not list.
import { escapeToken } from '../../spec/index.js'
import type { ObservedExchange } from '../../store/inventory.js'
import { evidenceOf, type Finding, findingOf, type Rule, succeeded } from '../../finding/index.js'

export const undocumentedQueryParameter: Rule = {
  id: 'undocumented-query-parameter',
  severity: 'low',
  kind: 'drift',
  why: 'Undocumented query parameters are hidden switches (debug flags, filters) that nobody reviewed.',
  check(ctx) {
    // API keys sent in the query are documented by their security scheme, not as parameters.
    const schemeNames = new Set(
      Object.values(ctx.spec.securitySchemes)
        .filter((s) => s.type === 'apiKey' && s.in === 'query' && s.name !== undefined)
        .map((s) => s.name as string),
    )
    const out: Finding[] = []
    for (const m of ctx.matches) {
      const op = m.operation
      if (op === undefined || m.endpoint.count < ctx.options.minDriftRequests) continue
      const documented = new Set(op.parameters.filter((p) => p.in === 'query').map((p) => p.name))
      // A documented object parameter with style=form explode (the default) spreads its properties
      // into the query; a free-form one accepts any name.
      const freeForm = op.parameters.some((p) => p.in === 'query' && p.schema?.['type'] === 'object')
      if (freeForm) continue
      const byName = new Map<string, { exchanges: ObservedExchange[]; count: number }>()
      for (const e of m.endpoint.exchanges) {
        if (!succeeded(e)) continue
        const props = e.query.obj?.props ?? {}
        for (const name of Object.keys(props)) {
          if (documented.has(name) || schemeNames.has(name)) continue
          const g = byName.get(name) ?? { exchanges: [], count: 0 }
          g.exchanges.push(e)
          g.count += props[name]?.n ?? 0
          byName.set(name, g)
        }
      }
      for (const [name, g] of [...byName].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        out.push(
          findingOf(undocumentedQueryParameter, {
            method: op.method,
            path: op.template,
            pointer: `/parameters/query/${escapeToken(name)}`,
            title: `query parameter ${name} is accepted but not documented`,
            evidence: evidenceOf(g.exchanges, {
              count: g.count,
              observed: name,
              documented: [...documented].sort().join(', ') || 'no query parameters',
            }),
            specPointer: op.location.pointer,
          }),
        )
      }
    }
    return out
  },
}
