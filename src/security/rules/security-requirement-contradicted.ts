// security-requirement-contradicted: the published spec requires credentials for an operation
// (its effective `security` has no anonymous `{}` alternative) but it answered 2xx without any.
import { counted, type Finding, findingOf, findingPath, type Rule } from '../../finding/index.js'
import { endpointAuth, openEvidence } from '../auth-analysis.js'

export const securityRequirementContradicted: Rule = {
  id: 'security-requirement-contradicted',
  severity: 'high',
  kind: 'security',
  why: 'The spec promises an access check that the running service does not make; clients and reviewers trust the spec.',
  check(ctx) {
    const out: Finding[] = []
    for (const m of ctx.matches) {
      const op = m.operation
      const security = op?.security
      if (op === undefined || security === undefined || security.length === 0) continue
      if (security.some((req) => Object.keys(req).length === 0)) continue
      const a = endpointAuth(m.endpoint)
      if (a.okWithoutCredentials === 0) continue
      const documented = security.map((req) => Object.keys(req).sort().join(' + ')).join(' or ')
      out.push(
        findingOf(securityRequirementContradicted, {
          method: op.method,
          path: findingPath(m),
          pointer: '/security',
          title: `${op.method} ${op.template} requires ${documented} but answered ${counted(a.okWithoutCredentials, 'request')} without credentials`,
          evidence: openEvidence(a, {
            documented,
            details: { ok: a.ok, okWithoutCredentials: a.okWithoutCredentials },
          }),
          specPointer: `${op.location.pointer}/security`,
        }),
      )
    }
    return out
  },
}
