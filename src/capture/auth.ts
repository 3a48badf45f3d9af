// Credential facts of a request: which kind of credential it carried and where, by name
// only ('bearer', 'basic', 'header:x-api-key', 'query:api_key', 'cookie:sid'). The same
// pass finds the credential value for the client key; that value never leaves this module
// except into the HMAC.
import { classifySegment } from '../infer/index.js'
import type { RawHeaders } from './exchange.js'
import { isApiKeyHeader, isQueryCredential, isSessionCookie } from './secret-names.js'

const KNOWN_SCHEMES: ReadonlySet<string> = new Set([
  'bearer',
  'basic',
  'digest',
  'negotiate',
  'ntlm',
  'hoba',
  'mutual',
  'aws4-hmac-sha256',
  'token',
  'apikey',
  'api-key',
  'hmac',
  'signature',
  'dpop',
  'gnap',
  'privatetoken',
  'scram-sha-1',
  'scram-sha-256',
  'vapid',
  'oauth',
])
const SCHEME = /^[a-z][a-z0-9._-]{0,23}$/
const MAX_FACTS = 16
// Header names repeat from request to request: the API-key test (two regexes) is remembered per
// lower-cased name. Names only, never values; forgotten all at once when full.
const MAX_MEMO_NAMES = 1024
const apiKeyHeaderMemo = new Map<string, boolean>()

function isApiKeyHeaderName(lower: string): boolean {
  let known = apiKeyHeaderMemo.get(lower)
  if (known === undefined) {
    known = isApiKeyHeader(lower)
    if (apiKeyHeaderMemo.size >= MAX_MEMO_NAMES) apiKeyHeaderMemo.clear()
    apiKeyHeaderMemo.set(lower, known)
  }
  return known
}
const MAX_COOKIES = 64
const MAX_COOKIE_HEADER_LENGTH = 8192

export interface AuthFacts {
  facts: string[]
  /** the credential that identifies the client, tagged with where it came from; never stored */
  credential?: string
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** The scheme fact of an Authorization value: a known or plain scheme name, never the credential. */
export function schemeOf(value: string): string {
  const space = value.indexOf(' ')
  // A bare token without a scheme: the value itself is the secret and must not become a name.
  if (space <= 0) return 'authorization'
  const scheme = value.slice(0, Math.min(space, 32)).toLowerCase()
  if (KNOWN_SCHEMES.has(scheme)) return scheme
  if (SCHEME.test(scheme) && classifySegment(scheme) === undefined) return scheme
  return 'other'
}

/** True when some query parameter name carries a credential (so the query says something about auth). */
export function hasQueryCredential(query: Record<string, unknown>): boolean {
  for (const name of Object.keys(query)) if (isQueryCredential(name.toLowerCase())) return true
  return false
}

/** Credential facts and the client credential of a request. */
export function authFacts(headers: RawHeaders, query: Record<string, unknown>): AuthFacts {
  const facts = new Set<string>()
  let credential: string | undefined
  const authorization = first(headers.authorization)
  if (authorization !== undefined && authorization !== '') {
    facts.add(schemeOf(authorization.trim()))
    credential = `authorization:${authorization}`
  }
  for (const name of Object.keys(headers)) {
    if (facts.size >= MAX_FACTS) break
    const lower = name.toLowerCase()
    if (lower === 'authorization' || !isApiKeyHeaderName(lower)) continue
    const value = first(headers[name])
    if (value === undefined || value === '') continue
    facts.add(`header:${lower}`)
    credential ??= `header:${value}`
  }
  for (const name of Object.keys(query)) {
    if (facts.size >= MAX_FACTS) break
    const lower = name.toLowerCase()
    if (!isQueryCredential(lower)) continue
    facts.add(`query:${lower}`)
    const value = query[name]
    if (typeof value === 'string' || typeof value === 'number') credential ??= `query:${value}`
  }
  const cookie = headers.cookie
  if (cookie !== undefined) {
    const text = (Array.isArray(cookie) ? cookie.join('; ') : cookie).slice(0, MAX_COOKIE_HEADER_LENGTH)
    let seen = 0
    for (const pair of text.split(';')) {
      if (seen++ >= MAX_COOKIES || facts.size >= MAX_FACTS) break
      const eq = pair.indexOf('=')
      const name = (eq === -1 ? pair : pair.slice(0, eq)).trim().toLowerCase()
      if (name === '' || name.length > 64 || !isSessionCookie(name)) continue
      facts.add(`cookie:${name}`)
      credential ??= `cookie:${pair.slice(eq + 1).trim()}`
    }
  }
  return credential === undefined ? { facts: [...facts].sort() } : { facts: [...facts].sort(), credential }
}
