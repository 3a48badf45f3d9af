// The sensitive-data classifier plugged into `shapeOf`'s `classify` hook: it runs on every
// string of every observed body, so it is built to say "no" fast. Values shorter than the
// shortest pattern, or whose first character cannot start one, cost a length check and a
// switch. Every check is length-capped and either a single pass or an anchored regular
// expression with single quantifiers over disjoint classes (linear time, no backtracking blow-up).
import { stringFormat } from '../infer/index.js'
import { isIban } from './iban.js'
import { isJwt } from './jwt.js'
import { isPaymentCard } from './payment-card.js'
import { isPhone } from './phone.js'
import { secretKindOf } from './secret-token.js'
import type { SensitiveCategory } from './sensitive-category.js'
import { type KeyClass, keyClassOf } from './sensitive-key.js'
import { isUsSsn } from './us-ssn.js'

/** Longer values are not examined (a PEM key is the longest thing recognised). */
export const MAX_CLASSIFIED_CHARS = 65_536
const MIN_SECRET_CHARS = 8
const MAX_EMAIL_CHARS = 254

const EMAIL_LOCAL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/
const ISO_DATE = /^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})([T ][0-9:.+Zz-]{0,30})?$/
const DMY_DATE = /^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$/
const PLACEHOLDERS: ReadonlySet<string> = new Set([
  'redacted',
  '[redacted]',
  '<redacted>',
  '[filtered]',
  'filtered',
  'hidden',
  'masked',
  'null',
  'undefined',
  'none',
  'n/a',
  'true',
  'false',
  'changeme',
  'string',
])

function isPlaceholder(value: string): boolean {
  if (value.length <= 12 && PLACEHOLDERS.has(value.toLowerCase())) return true
  // `********`, `xxxxxxxx`, `••••••`: masked already.
  const first = value.charCodeAt(0)
  for (let i = 1; i < value.length; i++) if (value.charCodeAt(i) !== first) return false
  return true
}

/** local@domain.tld without quoted parts (a practical subset of RFC 5322 addr-spec). */
function isEmail(value: string): boolean {
  const at = value.indexOf('@')
  if (at < 1 || !EMAIL_LOCAL.test(value.slice(0, at))) return false
  // Domain: two or more labels of [A-Za-z0-9-]{1,63}, the last one with a letter.
  let labelLen = 0
  let labels = 0
  let letterInLabel = false
  for (let i = at + 1; i <= value.length; i++) {
    const c = i === value.length ? 46 : value.charCodeAt(i)
    if (c === 46) {
      if (labelLen === 0 || labelLen > 63) return false
      labels++
      if (i === value.length) return labels >= 2 && letterInLabel
      labelLen = 0
      letterInLabel = false
    } else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      labelLen++
      letterInLabel = true
    } else if ((c >= 48 && c <= 57) || c === 45) {
      labelLen++
    } else {
      return false
    }
  }
  return false
}

function isPlausibleDate(value: string): boolean {
  if (value.length < 8 || value.length > 40) return false
  let m = ISO_DATE.exec(value)
  if (m !== null) return validDate(Number(m[1]), Number(m[2]), Number(m[3]))
  m = DMY_DATE.exec(value)
  if (m === null) return false
  const a = Number(m[1])
  const b = Number(m[2])
  const y = Number(m[3])
  // Day-first or month-first: either reading may be the one intended.
  return validDate(y, b, a) || validDate(y, a, b)
}

function validDate(year: number, month: number, day: number): boolean {
  return year >= 1850 && year <= 2200 && month >= 1 && month <= 12 && day >= 1 && day <= 31
}

/** Dotted-quad IPv4 without leading zeros (RFC 6943 §3.1.1), one pass. */
export function isIpv4(value: string): boolean {
  const len = value.length
  if (len < 7 || len > 15) return false
  let octets = 0
  let digits = 0
  let n = 0
  for (let i = 0; i <= len; i++) {
    const c = i === len ? 46 : value.charCodeAt(i)
    if (c === 46) {
      if (digits === 0 || n > 255) return false
      octets++
      digits = 0
      n = 0
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && n === 0) return false
      n = n * 10 + (c - 48)
      if (++digits > 3) return false
    } else {
      return false
    }
  }
  return octets === 4
}

function isIp(value: string): boolean {
  const c = value.charCodeAt(0)
  if (c >= 48 && c <= 57 && isIpv4(value)) return true
  return value.length <= 45 && value.includes(':') && onlyIpv6Chars(value) && stringFormat(value) === 'ipv6'
}

function onlyNumberChars(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    // digits, space, ( ) + - .
    if (!((c >= 48 && c <= 57) || c === 32 || c === 40 || c === 41 || c === 43 || c === 45 || c === 46)) return false
  }
  return true
}

// Cheap pre-check so that timestamps and URLs never reach the format parser.
function onlyIpv6Chars(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (!((c >= 48 && c <= 58) || c === 46 || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) return false
  }
  return true
}

function byKey(cls: KeyClass, value: string): SensitiveCategory | undefined {
  switch (cls) {
    case 'password':
      return isPlaceholder(value) ? undefined : 'password'
    case 'secret':
      return value.length >= MIN_SECRET_CHARS && !isPlaceholder(value) ? 'secret' : undefined
    case 'date-of-birth':
      return isPlausibleDate(value) ? 'date-of-birth' : undefined
    case 'ssn':
      return isUsSsn(value, true) ? 'us-ssn' : undefined
    case 'phone':
      return isPhone(value, true) ? 'phone' : undefined
    case 'ip':
      return isIp(value) ? 'ip-address' : undefined
    default:
      return undefined
  }
}

function byFormat(value: string): SensitiveCategory | undefined {
  const c = value.charCodeAt(0)
  // "Bearer <token>" is a credential whatever it holds.
  if (c === 66 /* B */ && value.startsWith('Bearer ') && value.length >= 7 + MIN_SECRET_CHARS) {
    return isJwt(value.slice(7)) ? 'jwt' : 'secret'
  }
  if (c === 101 /* e */) return isJwt(value) ? 'jwt' : undefined
  return secretKindOf(value)
}

/**
 * The sensitive category of a string value, judged by its field name (`key`, undefined inside
 * arrays) and its content, or undefined. Content rules validate (Luhn, mod 97, SSN ranges,
 * JWT header) so that look-alikes such as order numbers, UUIDs and timestamps stay unclassified.
 */
export function classifyValue(key: string | undefined, value: string): SensitiveCategory | undefined {
  const len = value.length
  if (len === 0 || len > MAX_CLASSIFIED_CHARS) return undefined
  const cls: KeyClass = key === undefined ? 'none' : keyClassOf(key)
  if (len >= 20) {
    const secret = byFormat(value)
    if (secret !== undefined) return secret
  }
  if (cls !== 'none' && cls !== 'version') {
    const keyed = byKey(cls, value)
    if (keyed !== undefined || cls === 'password' || cls === 'secret') return keyed
  }
  // Shortest remaining patterns: `1.1.1.1`, `a@b.co` plus one.
  if (len < 7) return undefined
  const c = value.charCodeAt(0)
  if ((c >= 48 && c <= 57) || c === 43 /* + */ || c === 40 /* ( */) {
    if (len > 45) return undefined
    // One pass first: anything but digits and number punctuation (a UUID, a timestamp, an
    // address) rules out cards, SSNs, phones and IPv4 at once.
    if (!onlyNumberChars(value)) return cls !== 'version' && isIp(value) ? 'ip-address' : undefined
    if (len === 11 && isUsSsn(value)) return 'us-ssn'
    if (len >= 13 && isPaymentCard(value)) return 'payment-card'
    if (isPhone(value)) return 'phone'
    return cls !== 'version' && isIpv4(value) ? 'ip-address' : undefined
  }
  if (c >= 65 && c <= 90 && len >= 15 && len <= 42 && isIban(value)) return 'iban'
  if (len <= MAX_EMAIL_CHARS && isEmail(value)) return 'email'
  if (len <= 45 && cls !== 'version' && value.includes(':') && isIp(value)) return 'ip-address'
  return undefined
}

/**
 * The sensitive category of a JSON number: card numbers and SSNs stored as numbers, phone
 * numbers under a phone field. Fractions, negatives and unsafe integers are never classified.
 */
export function classifyNumber(key: string | undefined, value: number): SensitiveCategory | undefined {
  if (!Number.isSafeInteger(value) || value < 1_000_000) return undefined
  const digits = String(value)
  const cls: KeyClass = key === undefined ? 'none' : keyClassOf(key)
  if (cls === 'ssn') return isUsSsn(digits, true) ? 'us-ssn' : undefined
  if (cls === 'phone') return isPhone(digits, true) ? 'phone' : undefined
  if (digits.length >= 13 && isPaymentCard(digits)) return 'payment-card'
  return undefined
}
