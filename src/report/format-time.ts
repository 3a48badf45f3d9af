// Times in reports: ISO 8601 UTC, so reports read the same wherever they are generated.

/** ISO 8601 UTC text of an epoch-ms time ('' for 0 or invalid). */
export function isoTime(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return ''
  return new Date(ms).toISOString()
}
