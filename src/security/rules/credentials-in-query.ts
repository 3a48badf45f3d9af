// credentials-in-query: API keys, tokens or passwords sent in the query string, where access
// logs, browser history, Referer headers and caches keep them (RFC 6750 §5.3, OWASP API2).
import { evidenceOf, type Finding, findingOf, findingPath, type Rule, type Severity } from '../../finding/index.js'
import { SECRET_CATEGORIES } from '../sensitive-category.js'
import { keyClassOf } from '../sensitive-key.js'
import { escapeToken } from '../../spec/index.js'
import type { ObservedExchange } from '../../store/inventory.js'

// Common query credential names the field-name rules do not catch on their own.
const QUERY_CREDENTIALS: ReadonlySet<string> = new Set(['key', 'auth', 'jwt', 'sid', 'session', 'access_token'])

function isCredentialName(name: string): boolean {
  const lower = name.toLowerCase()
  if (QUERY_CREDENTIALS.has(lower)) return true
  const cls = keyClassOf(name)
  return cls === 'secret' || cls === 'password'
}

export const credentialsInQuery: Rule = {
  id: 'credentials-in-query',
  severity: 'medium',
  kind: 'security',
  why: 'Query strings end up in access logs, browser history, Referer headers and caches: a credential there leaks to everyone who reads them.',
  check(ctx) {
    const out: Finding[] = []
    for (const m of ctx.matches) {
      // parameter name -> requests carrying it, and the exchange groups they came in
      const params = new Map<string, { count: number; exchanges: Set<ObservedExchange>; how: Set<string> }>()
      const note = (name: string, n: number, e: ObservedExchange, how: string) => {
        let p = params.get(name)
        if (p === undefined) {
          p = { count: 0, exchanges: new Set(), how: new Set() }
          params.set(name, p)
        }
        p.count += n
        p.exchanges.add(e)
        p.how.add(how)
      }
      for (const e of m.endpoint.exchanges) {
        for (const [fact, n] of Object.entries(e.auth)) {
          if (fact.startsWith('query:') && n > 0) note(fact.slice(6), n, e, 'auth-fact')
        }
        for (const [name, shape] of Object.entries(e.query.obj?.props ?? {})) {
          if (params.get(name)?.exchanges.has(e) === true) continue
          const tags = shape.str?.tag ?? {}
          const tagged = Object.entries(tags).some(([c, n]) => n > 0 && SECRET_CATEGORIES.has(c) && c !== 'secret')
          if (isCredentialName(name)) note(name, shape.n, e, 'name')
          else if (tagged) note(name, shape.n, e, 'value')
        }
      }
      for (const [name, p] of [...params.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        const severity: Severity = keyClassOf(name) === 'password' ? 'high' : 'medium'
        out.push(
          findingOf(credentialsInQuery, {
            severity,
            method: m.endpoint.method.toUpperCase(),
            path: findingPath(m),
            pointer: `/parameters/query/${escapeToken(name)}`,
            title: `credential sent in the query string as ?${name}=`,
            evidence: evidenceOf([...p.exchanges], {
              count: p.count,
              observed: `query parameter ${name}`,
              details: { parameter: name, evidence: [...p.how].sort().join(',') },
            }),
          }),
        )
      }
    }
    return out
  },
}
