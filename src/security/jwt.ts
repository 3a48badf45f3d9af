// JSON Web Tokens in compact serialisation (RFC 7519 §3, RFC 7515 §7.1): three base64url
// parts; the header decodes to a JSON object naming its `alg`. Encrypted tokens (RFC 7516,
// five parts) are tokens too.

const MAX_CHARS = 16_384
const MAX_HEADER_CHARS = 1024
const B64URL_PART = /^[A-Za-z0-9_-]+$/

/** True when `value` is a signed (JWS) or encrypted (JWE) JWT. */
export function isJwt(value: string): boolean {
  const len = value.length
  // `eyJ` is base64url for `{"`: every JSON header starts so.
  if (len < 24 || len > MAX_CHARS || !value.startsWith('eyJ')) return false
  const parts = value.split('.')
  if (parts.length !== 3 && parts.length !== 5) return false
  const header = parts[0] as string
  if (header.length > MAX_HEADER_CHARS || parts[1] === '') return false
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string
    // An unsecured JWT (alg none) has an empty signature; other parts are never empty.
    if (p === '' ? i !== parts.length - 1 : !B64URL_PART.test(p)) return false
  }
  try {
    const decoded: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))
    return (
      decoded !== null && typeof decoded === 'object' && typeof (decoded as Record<string, unknown>)['alg'] === 'string'
    )
  } catch {
    return false
  }
}
