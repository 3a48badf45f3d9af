// Security schemes from the credential facts capture records per exchange (`bearer`, `basic`,
// `header:x-api-key`, `query:api_key`, `cookie:sid`): names and kinds only, never values.

export interface SecuritySchemeObject {
  type: 'http' | 'apiKey'
  scheme?: string
  bearerFormat?: string
  in?: 'header' | 'query' | 'cookie'
  name?: string
  description?: string
}

export interface DetectedScheme {
  /** component name, e.g. `bearerAuth`, `apiKeyHeader.x-api-key` */
  id: string
  scheme: SecuritySchemeObject
}

const HTTP_SCHEME = /^[a-z][a-z0-9-]{0,31}$/
const API_KEY_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/

/** The security scheme a credential fact stands for, or undefined for `none` and unknown facts. */
export function schemeOfFact(fact: string): DetectedScheme | undefined {
  if (fact === 'none' || fact.length > 160) return undefined
  if (fact === 'bearer') return { id: 'bearerAuth', scheme: { type: 'http', scheme: 'bearer' } }
  if (fact === 'basic') return { id: 'basicAuth', scheme: { type: 'http', scheme: 'basic' } }
  // An Authorization header without a recognisable scheme: all that is known is the header.
  if (fact === 'authorization' || fact === 'other') {
    return { id: 'authorizationHeader', scheme: { type: 'apiKey', in: 'header', name: 'Authorization' } }
  }
  const colon = fact.indexOf(':')
  if (colon === -1) {
    return HTTP_SCHEME.test(fact) ? { id: `${fact}Auth`, scheme: { type: 'http', scheme: fact } } : undefined
  }
  const where = fact.slice(0, colon)
  const name = fact.slice(colon + 1)
  if ((where !== 'header' && where !== 'query' && where !== 'cookie') || !API_KEY_NAME.test(name)) return undefined
  const label = where.charAt(0).toUpperCase() + where.slice(1)
  const id = `apiKey${label}.${name.replace(/[^A-Za-z0-9._-]/g, '_')}`
  return { id, scheme: { type: 'apiKey', in: where, name } }
}

/** Header names that carry credentials or session state and never become parameters. */
export function isCredentialHeader(name: string): boolean {
  return (
    /^(authorization|proxy-authorization|cookie|set-cookie)$/.test(name) ||
    /(token|secret|api-?key|auth|session|passw|signature|credential)/i.test(name)
  )
}
