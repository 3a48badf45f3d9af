// Which names carry credentials: header names, query parameter and field names, cookie
// names. Shared by the header shaper, the auth facts, the client key and the value
// classifier, so one list decides everywhere. Inputs are lower-cased and length-capped by
// the callers; every pattern is anchored or a plain substring test (linear time).

const MAX_NAME_LENGTH = 128

/** Request headers that carry an API key or token (besides Authorization and Cookie). */
const API_KEY_HEADERS: ReadonlySet<string> = new Set([
  'x-api-key',
  'api-key',
  'apikey',
  'x-apikey',
  'x-api-token',
  'x-auth-token',
  'x-access-token',
  'x-token',
  'x-session-token',
  'x-auth',
  'x-authorization',
  'x-goog-api-key',
  'x-amz-security-token',
  'x-functions-key',
  'ocp-apim-subscription-key',
  'private-token',
  'x-client-secret',
  'x-refresh-token',
  'x-id-token',
  'x-user-token',
])

// Anti-forgery tokens are not credentials: they prove nothing alone and rotate per page.
const NOT_CREDENTIAL = /(csrf|xsrf)/

/** True for a header (lower-case name) that carries a credential by name: its value is never kept. */
export function isSecretHeader(name: string): boolean {
  if (name === 'authorization' || name === 'proxy-authorization' || name === 'cookie' || name === 'set-cookie') {
    return true
  }
  if (name.length > MAX_NAME_LENGTH) return true
  return /(token|secret|passw|key|auth|session|cookie|signature|credential|jwt)/.test(name)
}

/** True for a request header (lower-case name) that authenticates the client with an API key or token. */
export function isApiKeyHeader(name: string): boolean {
  if (API_KEY_HEADERS.has(name)) return true
  if (name.length > MAX_NAME_LENGTH || NOT_CREDENTIAL.test(name)) return false
  return /(api-?_?key|-token$|^token$|secret)/.test(name)
}

const QUERY_CREDENTIALS: ReadonlySet<string> = new Set([
  'api_key',
  'apikey',
  'api-key',
  'key',
  'token',
  'access_token',
  'id_token',
  'refresh_token',
  'auth',
  'auth_token',
  'authtoken',
  'client_secret',
  'secret',
  'password',
  'passwd',
  'pwd',
  'jwt',
  'bearer',
  'session',
  'sessionid',
  'session_id',
  'sid',
  'signature',
  'sig',
  'x-amz-signature',
  'x-amz-security-token',
  'x-goog-signature',
  'code',
])

/** True for a query parameter (lower-case name) that carries a credential. */
export function isQueryCredential(name: string): boolean {
  if (QUERY_CREDENTIALS.has(name)) return true
  if (name.length > MAX_NAME_LENGTH || NOT_CREDENTIAL.test(name)) return false
  return /(api_?key|_token$|-token$|secret|passw)/.test(name)
}

// Field names whose values are secret wherever they appear (query, form, JSON): their values
// never become enum candidates or example text. Broader than the credential lists above.
const SECRET_FIELD =
  /(passw|pwd|^pass$|^pin$|otp|cvv|cvc|secret|token|api_?-?key|^key$|auth|session|^sid$|cookie|signature|^sig$|credential|jwt|bearer|private|ssn|iban|card)/

/** True for a field name (any case) whose value must never be kept, even as an enum candidate. */
export function isSecretField(name: string): boolean {
  if (name.length > MAX_NAME_LENGTH) return true
  return SECRET_FIELD.test(name.toLowerCase())
}

// Cookie names used for sessions by common frameworks (Express, Java servlets, PHP, Rails,
// Django, ASP.NET) and generic auth cookies.
const SESSION_COOKIES: ReadonlySet<string> = new Set([
  'sid',
  'session',
  'sessionid',
  'session_id',
  'connect.sid',
  'jsessionid',
  'phpsessid',
  'asp.net_sessionid',
  'aspsessionid',
  'laravel_session',
  '_session_id',
  'remember_token',
  'access_token',
  'id_token',
  'refresh_token',
  'jwt',
  'token',
])

/** True for a cookie (lower-case name) that looks like a session or auth cookie. */
export function isSessionCookie(name: string): boolean {
  if (SESSION_COOKIES.has(name)) return true
  if (name.length > MAX_NAME_LENGTH || NOT_CREDENTIAL.test(name)) return false
  return /(^auth|session|_sess$|_token$|^__host-|^__secure-)/.test(name)
}
