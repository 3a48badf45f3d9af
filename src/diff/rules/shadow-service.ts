// shadow-service: a whole undocumented path prefix (an admin back-office, an internal service),
// reported once with its operations listed; those operations are not reported one by one as well.
import { counted, type EndpointMatch, type Finding, findingOf, findingPath, type Rule } from '../../finding/index.js'

export const shadowService: Rule = {
  id: 'shadow-service',
  severity: 'high',
  kind: 'inventory',
  why: 'A whole undocumented service is usually an internal or administrative surface exposed by mistake.',
  check(ctx) {
    const groups = new Map<string, EndpointMatch[]>()
    for (const m of ctx.matches) {
      if (m.service !== undefined) groups.set(m.service, [...(groups.get(m.service) ?? []), m])
    }
    const out: Finding[] = []
    for (const [service, members] of groups) {
      // Named as inference names them: two observed keys can be one operation (/{int} and /{uuid}).
      const operations = [...new Set(members.map((m) => `${m.endpoint.method.toUpperCase()} ${findingPath(m)}`))].sort()
      const count = members.reduce((n, m) => n + m.endpoint.count, 0)
      out.push(
        findingOf(shadowService, {
          method: '*',
          path: service,
          pointer: '',
          title: `undocumented service ${service} (${counted(operations.length, 'operation')})`,
          evidence: {
            count,
            unit: 'requests',
            firstSeenMs: Math.min(...members.map((m) => m.endpoint.firstSeenMs)),
            lastSeenMs: Math.max(...members.map((m) => m.endpoint.lastSeenMs)),
            observed: `${counted(operations.length, 'operation')} under ${service}`,
            documented: `nothing under ${service}`,
            details: { operations: operations.length },
          },
          specPointer: '/paths',
          operations,
        }),
      )
    }
    return out
  },
}
