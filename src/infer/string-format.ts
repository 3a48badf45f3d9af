// JSON Schema string formats recognised in observed values (JSON Schema 2020-12 §7.3).
// Every pattern is anchored and free of nested or overlapping quantifiers, so matching is
// linear in the input; inputs longer than MAX_FORMAT_LENGTH are not examined at all.

export type StringFormat = 'date-time' | 'date' | 'time' | 'email' | 'uuid' | 'uri' | 'ipv4' | 'ipv6'

const MAX_FORMAT_LENGTH = 2048

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/
// RFC 3339 §5.6: full-date "T" full-time; lower-case t and a space are tolerated as in the wild.
const DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)$/
const TIME = /^([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)?$/
// A practical subset of RFC 5322 addr-spec: local@domain.tld without quoted parts.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$/
const URI = /^[A-Za-z][A-Za-z0-9+.-]{1,15}:\/\/[^\s/?#]+([/?#]\S*)?$/
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const IPV6_CHARS = /^[0-9A-Fa-f:.]{2,45}$/

function isIpv6(value: string): boolean {
  if (!IPV6_CHARS.test(value) || !value.includes(':')) return false
  const doubleColon = value.indexOf('::')
  if (doubleColon !== -1 && value.indexOf('::', doubleColon + 1) !== -1) return false
  let groups = value.split(':')
  const last = groups[groups.length - 1] ?? ''
  let extra = 0
  if (last.includes('.')) {
    if (!IPV4.test(last)) return false
    groups = groups.slice(0, -1)
    extra = 2
  }
  const filled = groups.filter((g) => g !== '')
  if (!filled.every((g) => g.length <= 4 && /^[0-9A-Fa-f]+$/.test(g))) return false
  const count = filled.length + extra
  return doubleColon === -1 ? count === 8 : count < 8
}

/** The format of a string value, or undefined when it has none we recognise. */
export function stringFormat(value: string): StringFormat | undefined {
  const len = value.length
  if (len < 2 || len > MAX_FORMAT_LENGTH) return undefined
  const c = value.charCodeAt(0)
  const startsWithDigit = c >= 48 && c <= 57
  if (len === 36 && UUID.test(value)) return 'uuid'
  if (startsWithDigit) {
    if (len === 10 && DATE.test(value)) return 'date'
    if (len >= 19 && len <= 40 && DATE_TIME.test(value)) return 'date-time'
    if (len >= 8 && len <= 24 && TIME.test(value)) return 'time'
    if (len <= 15 && IPV4.test(value)) return 'ipv4'
  }
  if (value.includes('@') && len <= 254 && EMAIL.test(value)) return 'email'
  if (value.includes('://') && URI.test(value)) return 'uri'
  if (value.includes(':') && len <= 45 && isIpv6(value)) return 'ipv6'
  return undefined
}
