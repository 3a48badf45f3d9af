// Bearer-token check for the admin API. Both sides are hashed first so timingSafeEqual always
// compares equal-length digests: neither the token's value nor its length leaks through timing.
import { createHash, timingSafeEqual } from 'node:crypto'
import { isIP } from 'node:net'

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest()

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.length > 4096) return undefined
  const space = header.indexOf(' ')
  if (space === -1 || header.slice(0, space).toLowerCase() !== 'bearer') return undefined
  const token = header.slice(space + 1).trim()
  return token === '' ? undefined : token
}

/** Constant-time comparison of a presented token with the configured one. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (expected === '') return false
  // Compare even when nothing was presented, so a missing header costs the same as a wrong one.
  const ok = timingSafeEqual(digest(presented ?? ''), digest(expected))
  return ok && presented !== undefined
}

/** True for loopback listen addresses: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true
  if (isIP(host) === 4) return host.startsWith('127.')
  if (host.startsWith('::ffff:')) return isLoopbackHost(host.slice(7))
  return false
}
