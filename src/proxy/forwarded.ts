// X-Forwarded-For/-Proto/-Host on the way to the upstream (proxy.xForwarded). These headers are
// de facto, not standardised; RFC 7239 `Forwarded` is passed through untouched.
import type { IncomingMessage } from 'node:http'

export type XForwardedMode = 'append' | 'replace' | 'off'

type Headers = Record<string, string | string[] | undefined>

/** Applies the X-Forwarded-* policy to the upstream request headers (a copy of the client's). */
export function applyXForwarded(mode: XForwardedMode, raw: IncomingMessage, headers: Headers): void {
  if (mode === 'off') return
  const address = raw.socket.remoteAddress ?? ''
  const host = raw.headers.host
  if (mode === 'replace') {
    headers['x-forwarded-for'] = address
    headers['x-forwarded-proto'] = 'http'
    headers['x-forwarded-host'] = host
    return
  }
  const prior = headers['x-forwarded-for']
  headers['x-forwarded-for'] =
    prior === undefined || prior === '' ? address : `${Array.isArray(prior) ? prior.join(', ') : prior}, ${address}`
  if (headers['x-forwarded-proto'] === undefined) headers['x-forwarded-proto'] = 'http'
  if (headers['x-forwarded-host'] === undefined && host !== undefined) headers['x-forwarded-host'] = host
}
