// Maps a failed upstream exchange to the response the client gets: 502 when the upstream cannot be
// reached or drops the connection, 504 when it is too slow. Bodies are built once, at load time.
import type { Outcome } from '../capture/index.js'

export type UpstreamErrorKind = 'connect' | 'timeout' | 'reset'

export interface UpstreamFailure {
  kind: UpstreamErrorKind
  status: 502 | 504
  outcome: Outcome
  /** the JSON body, pre-serialised */
  body: string
}

const failure = (kind: UpstreamErrorKind, status: 502 | 504, code: string, message: string): UpstreamFailure => ({
  kind,
  status,
  outcome: kind === 'timeout' ? 'upstream-timeout' : 'upstream-error',
  body: JSON.stringify({ error: { code, message } }),
})

export const UPSTREAM_UNREACHABLE = failure(
  'connect',
  502,
  'SPECTER_ERR_UPSTREAM_UNREACHABLE',
  'the upstream could not be reached',
)
export const UPSTREAM_TIMEOUT = failure(
  'timeout',
  504,
  'SPECTER_ERR_UPSTREAM_TIMEOUT',
  'the upstream did not answer in time',
)
export const UPSTREAM_RESET = failure(
  'reset',
  502,
  'SPECTER_ERR_UPSTREAM_RESET',
  'the upstream closed the connection or sent an invalid response',
)

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
])
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'FST_REPLY_FROM_TIMEOUT',
  'FST_REPLY_FROM_GATEWAY_TIMEOUT',
  'ETIMEDOUT',
])

function codesOf(err: unknown): string[] {
  const codes: string[] = []
  // reply-from wraps undici's error (cause), which may wrap the socket error (cause again).
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') codes.push(code)
    e = (e as { cause?: unknown }).cause
  }
  return codes
}

/** Classifies an error reported by reply-from (or the upstream body stream). */
export function classifyUpstreamError(err: unknown): UpstreamFailure {
  const codes = codesOf(err)
  if (codes.some((c) => TIMEOUT_CODES.has(c))) return UPSTREAM_TIMEOUT
  if (codes.some((c) => CONNECT_CODES.has(c))) return UPSTREAM_UNREACHABLE
  return UPSTREAM_RESET
}
