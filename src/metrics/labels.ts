// Bounded label values: every label Specter emits comes from a closed set or a capped map,
// so a client cannot grow the number of series by sending odd methods or statuses.

const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'TRACE',
  'CONNECT',
])

/** The method label: a standard method (upper-cased) or 'OTHER'. */
export function methodLabel(method: string): string {
  const upper = method.length <= 8 ? method.toUpperCase() : ''
  return KNOWN_METHODS.has(upper) ? upper : 'OTHER'
}

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'none'

/** The status class label; 'none' when the upstream never answered (status 0) or the code is out of range. */
export function statusClass(status: number): StatusClass {
  if (!Number.isInteger(status) || status < 100 || status > 599) return 'none'
  return `${Math.floor(status / 100)}xx` as StatusClass
}

export type UpstreamErrorKind = 'connect' | 'timeout' | 'reset'

export const UPSTREAM_ERROR_KINDS: readonly UpstreamErrorKind[] = ['connect', 'timeout', 'reset']
