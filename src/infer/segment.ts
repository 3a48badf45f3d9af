// Per-segment classifiers for path templating. At capture time a segment that is clearly an
// identifier becomes a class placeholder in the path key (`/users/{int}`), so the store grows
// with endpoints, not with objects. Plain words stay literal: deciding whether literal
// siblings are really one variable needs structural evidence and is done later, in templating.
// All patterns are anchored with single, non-overlapping quantifiers (linear time).

export type SegmentClass = 'int' | 'uuid' | 'oid' | 'hex' | 'date' | 'email' | 'token' | 'alnum' | 'str'

/** Classes whose raw values may be kept (bounded sample) for parameter typing and ID analysis. */
export const KEEPS_VALUES: ReadonlySet<SegmentClass> = new Set(['int', 'uuid', 'oid', 'hex', 'date'])

const INT = /^[0-9]{1,20}$/
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
const HEX = /^[0-9a-fA-F]{8,128}$/
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/
const EMAIL = /^[^@/\s]{1,64}@[^@/\s]{1,255}$/
const JWT = /^[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$/
const WORDISH = /^[A-Za-z0-9_~.-]{1,200}$/
const VERSION = /^v[0-9]{1,4}([.][0-9]{1,4})?([a-z]{1,8}[0-9]{0,4})?$/i
const PREFIX_WORDS: ReadonlySet<string> = new Set([
  'api',
  'apis',
  'rest',
  'graphql',
  'rpc',
  'public',
  'service',
  'services',
])
const MAX_LITERAL_LENGTH = 80

function countClasses(s: string): { digits: number; letters: number; upper: number; lower: number } {
  let digits = 0
  let upper = 0
  let lower = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) digits++
    else if (c >= 65 && c <= 90) upper++
    else if (c >= 97 && c <= 122) lower++
  }
  return { digits, letters: upper + lower, upper, lower }
}

/** True for version and API prefixes (`v1`, `api`, `2024-01-01`): never variables. */
export function isPrefixSegment(segment: string): boolean {
  return VERSION.test(segment) || PREFIX_WORDS.has(segment.toLowerCase()) || DATE.test(segment)
}

/**
 * The identifier class of one path segment (still percent-encoded, as on the wire),
 * or undefined when it should stay literal for now.
 */
export function classifySegment(segment: string): SegmentClass | undefined {
  const len = segment.length
  if (len === 0) return undefined
  if (INT.test(segment)) return 'int'
  if (len === 36 && UUID.test(segment)) return 'uuid'
  if (HEX.test(segment)) {
    const { digits, letters } = countClasses(segment)
    if (len === 24 && digits > 0) return 'oid'
    // Needs a digit and a letter: `deadbeef` or `12345678` alone prove nothing more than INT does.
    if (digits > 0 && letters > 0) return 'hex'
  }
  if (len === 10 && DATE.test(segment)) return 'date'
  if (segment.includes('@') && EMAIL.test(segment)) return 'email'
  if (segment.includes('%40') && EMAIL.test(segment.replaceAll('%40', '@'))) return 'email'
  if (len >= 20 && JWT.test(segment)) return 'token'
  // Braces would read as a placeholder in the path key: such a segment is never kept literally.
  if (len > MAX_LITERAL_LENGTH || segment.includes('{') || segment.includes('}')) return 'str'
  if (!WORDISH.test(segment)) return undefined
  const { digits, letters, upper, lower } = countClasses(segment)
  if (digits === 0) {
    // Long mixed-case runs without separators read as random tokens (base62 ids), not words.
    if (len >= 16 && upper > 0 && lower > 0 && !/[-_.~]/.test(segment) && upper * 4 >= len / 2) return 'token'
    return undefined
  }
  if (len >= 20 && upper > 0 && lower > 0) return 'token'
  if (letters > 0 && len >= 8 && digits >= 2) return 'alnum'
  if (letters > 0 && len >= 5 && digits * 3 >= len) return 'alnum'
  return undefined
}

export interface PathKey {
  pathKey: string
  /** placeholder values that may be kept, by segment index */
  values: Array<[index: number, value: string]>
}

const MAX_FOLDED_DIGITS = 20

function isDigitRun(s: string): boolean {
  if (s.length === 0 || s.length > MAX_FOLDED_DIGITS) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

/**
 * The path with every segment of 1 to 20 ASCII digits replaced by `0` (the same string when there
 * is none). classifySegment makes any such run `{int}` and never a version or API prefix, so paths
 * that differ only in such ids have the same path key, with their values at the same positions:
 * a key for memos of pathKeyOf and of anything derived from it (capture, route labels).
 */
export function foldDigitSegments(path: string): string {
  const segments = path.split('/')
  let folded = false
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i] as string
    if (seg !== '0' && isDigitRun(seg)) {
      segments[i] = '0'
      folded = true
    }
  }
  return folded ? segments.join('/') : path
}

/**
 * Turns a raw request path (no query string) into its path key. Leading version and API
 * prefixes stay literal even when they look like dates or numbers-with-letters.
 */
export function pathKeyOf(path: string): PathKey {
  const parts = path.split('/')
  const values: Array<[number, string]> = []
  let inPrefix = true
  // parts[0] is the empty string before the leading slash.
  for (let i = 1; i < parts.length; i++) {
    const seg = parts[i] as string
    if (inPrefix && isPrefixSegment(seg)) continue
    inPrefix = false
    const cls = classifySegment(seg)
    if (cls === undefined) continue
    parts[i] = `{${cls}}`
    if (KEEPS_VALUES.has(cls)) values.push([i - 1, seg])
  }
  return { pathKey: parts.join('/'), values }
}

/** Splits a path key into segments (without the leading empty one). */
export function segmentsOf(pathKey: string): string[] {
  return pathKey.split('/').slice(1)
}

/** The class of a placeholder segment such as `{int}`, or undefined for a literal. */
export function placeholderClass(segment: string): SegmentClass | undefined {
  if (segment.length < 3 || segment[0] !== '{' || segment[segment.length - 1] !== '}') return undefined
  return segment.slice(1, -1) as SegmentClass
}
