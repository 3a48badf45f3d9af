// unauthenticated-operation: an operation answered 2xx to requests without any credential while
// the published spec requires credentials for it, or (when the spec says nothing about security)
// while the other operations of its service require one, or while returning personal data or secrets.
import {
  counted,
  type EndpointMatch,
  type Finding,
  findingOf,
  findingPath,
  raiseSeverity,
  type Rule,
  type Severity,
} from '../../finding/index.js'
import type { SecurityRequirement, SpecModel } from '../../spec/index.js'
import { adminSegmentOf } from '../admin-path.js'
import {
  type EndpointAuth,
  endpointAuth,
  isPublicByNature,
  openEvidence,
  requiresCredentials,
  serviceOf,
} from '../auth-analysis.js'
import { personalCategories, responseExposures, secretCategories } from '../body-exposure.js'

/** A sibling needs this many requests before its authentication habits count as evidence. */
const MIN_SIBLING_REQUESTS = 5
const READS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * What the spec says about credentials for a match (OpenAPI 3.1 §4.8.10 and §4.8.30): the operation's
 * own `security`, else the document's, which is also what an undocumented operation would get.
 * 'required' has no anonymous `{}` alternative; 'public' is `security: []` or one with `{}`.
 */
function specSecurity(m: EndpointMatch, spec: SpecModel): { stance: 'silent' | 'public' | 'required'; text: string } {
  const security: SecurityRequirement[] | undefined = m.operation !== undefined ? m.operation.security : spec.security
  if (security === undefined) return { stance: 'silent', text: '' }
  if (security.length === 0 || security.some((req) => Object.keys(req).length === 0)) {
    return { stance: 'public', text: '' }
  }
  return { stance: 'required', text: security.map((req) => Object.keys(req).sort().join(' + ')).join(' or ') }
}

export const unauthenticatedOperation: Rule = {
  id: 'unauthenticated-operation',
  severity: 'medium',
  kind: 'security',
  why: 'An operation that answers without credentials next to ones that require them is usually a forgotten access check (OWASP API2, API5).',
  check(ctx) {
    const auths: EndpointAuth[] = ctx.matches.map((m) => endpointAuth(m.endpoint))
    const services = ctx.matches.map((m) => serviceOf(m.endpoint.pathKey))
    const out: Finding[] = []
    ctx.matches.forEach((m, i) => {
      const a = auths[i] as EndpointAuth
      if (a.okWithoutCredentials === 0) return
      const spec = specSecurity(m, ctx.spec)
      // A documented operation the spec protects is security-requirement-contradicted's finding; one
      // the spec declares public (`security: []`) answers without credentials by design.
      if (m.operation !== undefined && spec.stance !== 'silent') return
      const publicByNature = isPublicByNature(m.endpoint.pathKey)
      const sensitive = new Set<string>()
      for (const x of responseExposures(m.endpoint)) {
        if (!x.unauthenticated || x.status < 200 || x.status >= 300) continue
        for (const [c] of personalCategories(x.field)) sensitive.add(c)
        for (const [c] of secretCategories(x.field, publicByNature)) sensitive.add(c)
      }
      // Public reads next to authenticated writes are a common, deliberate design (a catalogue
      // anyone may browse): an open read is compared with guarded reads only.
      const read = READS.has(m.endpoint.method.toUpperCase())
      // Siblings are the evidence only when the spec says nothing: its word wins when it speaks.
      let guarded = 0
      if (spec.stance === 'silent') {
        ctx.matches.forEach((s, j) => {
          if (j === i || services[j] !== services[i]) return
          if (read && !READS.has(s.endpoint.method.toUpperCase())) return
          if (requiresCredentials(auths[j] as EndpointAuth, MIN_SIBLING_REQUESTS)) guarded++
        })
      }
      // A CORS preflight never carries credentials (Fetch standard, CORS-preflight request).
      const specRequires = spec.stance === 'required' && m.endpoint.method.toUpperCase() !== 'OPTIONS'
      if (!specRequires && guarded === 0 && sensitive.size === 0) return
      if (sensitive.size === 0 && publicByNature) return
      const admin = adminSegmentOf(m.endpoint.pathKey)
      let severity: Severity = sensitive.size > 0 ? 'high' : 'medium'
      if (admin !== undefined) severity = raiseSeverity(severity, 1)
      const method = m.endpoint.method.toUpperCase()
      const categories = [...sensitive].sort()
      const reasons = [
        ...(specRequires ? [`the spec's global security requires ${spec.text}`] : []),
        ...(guarded > 0
          ? [
              `${counted(guarded, 'sibling operation')} under ${services[i]} ${guarded === 1 ? 'requires' : 'require'} credentials`,
            ]
          : []),
        ...(categories.length > 0 ? [`returns ${categories.join(', ')}`] : []),
      ]
      out.push(
        findingOf(unauthenticatedOperation, {
          severity,
          method,
          path: findingPath(m),
          pointer: '',
          title: `${method} ${findingPath(m)} answered ${a.okWithoutCredentials} of ${counted(a.ok, 'successful request')} without credentials (${reasons.join('; ')})`,
          evidence: openEvidence(a, {
            ...(specRequires ? { documented: `global security: ${spec.text}` } : {}),
            details: {
              ...(specRequires ? { specRequires: spec.text } : {}),
              service: services[i] as string,
              siblingsRequiringCredentials: guarded,
              sensitiveCategories: categories.join(','),
              ok: a.ok,
              okWithoutCredentials: a.okWithoutCredentials,
              adminLike: admin !== undefined,
            },
          }),
        }),
      )
    })
    return out
  },
}
