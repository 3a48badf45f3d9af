// Whether successful requests carried credentials, per observed endpoint, from the inventory's
// auth facts (`{ bearer: 10, none: 2 }` per exchange group; 'none' counts requests without any).
// A request may carry several facts, so "with credentials" is the total minus 'none'.
import { counted, type Evidence, type EvidenceExtra, evidenceOf } from '../finding/index.js'
import { isPrefixSegment } from '../infer/index.js'
import type { ObservedEndpoint, ObservedExchange } from '../store/inventory.js'

export interface EndpointAuth {
  /** 2xx responses */
  ok: number
  /** 2xx responses to requests without any credential */
  okWithoutCredentials: number
  /** 401 and 403 responses */
  denied: number
  /** credential facts seen on 2xx requests -> count */
  schemes: Record<string, number>
  firstSeenMs: number
  lastSeenMs: number
  /** 2xx exchange groups answered without credentials */
  openExchanges: ObservedExchange[]
}

const isOk = (e: ObservedExchange): boolean => e.outcome === 'ok' && e.status >= 200 && e.status < 300

/** Credential facts of an endpoint's traffic. */
export function endpointAuth(endpoint: ObservedEndpoint): EndpointAuth {
  const out: EndpointAuth = {
    ok: 0,
    okWithoutCredentials: 0,
    denied: 0,
    schemes: Object.create(null) as Record<string, number>,
    firstSeenMs: Number.POSITIVE_INFINITY,
    lastSeenMs: 0,
    openExchanges: [],
  }
  for (const e of endpoint.exchanges) {
    if (e.status === 401 || e.status === 403) out.denied += e.count
    if (!isOk(e)) continue
    out.ok += e.count
    const none = Math.min(e.auth['none'] ?? 0, e.count)
    out.okWithoutCredentials += none
    if (none > 0) {
      out.openExchanges.push(e)
      out.firstSeenMs = Math.min(out.firstSeenMs, e.firstSeenMs)
      out.lastSeenMs = Math.max(out.lastSeenMs, e.lastSeenMs)
    }
    for (const [fact, n] of Object.entries(e.auth)) {
      if (fact !== 'none') out.schemes[fact] = (out.schemes[fact] ?? 0) + n
    }
  }
  if (!Number.isFinite(out.firstSeenMs)) out.firstSeenMs = 0
  return out
}

/** Evidence of the 2xx requests an endpoint answered without any credential. */
export const openEvidence = (a: EndpointAuth, extra: EvidenceExtra = {}): Evidence =>
  evidenceOf(a.openExchanges, {
    count: a.okWithoutCredentials,
    observed: `${a.okWithoutCredentials} of ${counted(a.ok, '2xx response')} without credentials`,
    ...extra,
  })

/**
 * The service an endpoint belongs to, for comparing it with its siblings: the path key up to and
 * including its first literal segment after version and API prefixes (`/api/v1/accounts/{int}`
 * -> `/api/v1/accounts`).
 */
export function serviceOf(pathKey: string): string {
  const segs = pathKey.split('/').slice(1)
  const kept: string[] = []
  for (const s of segs) {
    kept.push(s)
    if (!isPrefixSegment(s) && !s.startsWith('{')) break
  }
  return `/${kept.join('/')}`
}

// Operations that are public by nature: signing in, health checks, discovery documents.
const PUBLIC_SEGMENTS: ReadonlySet<string> = new Set([
  'login',
  'logout',
  'signin',
  'signup',
  'register',
  'token',
  'oauth',
  'oauth2',
  'authorize',
  'auth',
  'sso',
  'saml',
  'callback',
  'refresh',
  'password',
  'forgot-password',
  'reset-password',
  'health',
  'healthz',
  'readyz',
  'livez',
  'ping',
  'status',
  'version',
  '.well-known',
  'openapi.json',
  'openapi.yaml',
  'swagger.json',
  'docs',
  'public',
  'favicon.ico',
  'robots.txt',
])

/** True for login, token, health and discovery paths: answering them without credentials is their job. */
export function isPublicByNature(pathKey: string): boolean {
  for (const seg of pathKey.split('/')) if (PUBLIC_SEGMENTS.has(seg.toLowerCase())) return true
  return false
}

/** True when the endpoint's successful traffic is (nearly) all authenticated, with enough of it to tell. */
export function requiresCredentials(auth: EndpointAuth, minRequests: number): boolean {
  if (auth.ok + auth.denied < minRequests) return false
  if (auth.ok === 0) return auth.denied > 0
  return auth.okWithoutCredentials / auth.ok <= 0.02
}
