// secret-in-response: credentials in a response body: private keys, vendor access keys, password
// hashes, passwords, and tokens or secrets outside the sign-in and token endpoints whose job is
// to hand them out.
import { type Finding, raiseSeverity, type Rule, type Severity } from '../../finding/index.js'
import { isPublicByNature } from '../auth-analysis.js'
import { exposureFinding, PROVEN_SECRETS, responseExposures, secretCategories } from '../body-exposure.js'

export const secretInResponse: Rule = {
  id: 'secret-in-response',
  severity: 'high',
  kind: 'security',
  why: 'A credential in a response lets whoever reads it (a client, a log, a cache, a proxy) act as its owner; hashes can be cracked offline.',
  check(ctx) {
    const out: Finding[] = []
    for (const m of ctx.matches) {
      const issuesTokens = isPublicByNature(m.endpoint.pathKey)
      for (const x of responseExposures(m.endpoint)) {
        const categories = secretCategories(x.field, issuesTokens)
        if (categories.length === 0) continue
        const names = categories.map(([c]) => c)
        let severity: Severity = names.some((c) => PROVEN_SECRETS.has(c)) ? 'critical' : 'high'
        if (x.unauthenticated) severity = raiseSeverity(severity, 1)
        out.push(exposureFinding(secretInResponse, m, x, categories, severity))
      }
    }
    return out
  },
}
