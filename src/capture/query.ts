// Query strings and urlencoded forms (WHATWG URL §5.1 application/x-www-form-urlencoded):
// split into decoded fields, each value coerced for typing ("12" is an integer, "1.5" a number,
// "true" a boolean, anything else a string) so that `observe` can shape them; a repeated name
// becomes an array.

const INT = /^-?[0-9]{1,30}$/
const NUM = /^-?[0-9]{1,30}(\.[0-9]{1,30})?([eE][-+]?[0-9]{1,4})?$/
const MAX_VALUE_LENGTH = 4096
const MAX_NAME_LENGTH = 256

/** A query or form value as the type it most likely stands for. */
export function coerceValue(value: string): string | number | boolean {
  if (value === 'true') return true
  if (value === 'false') return false
  const c = value.charCodeAt(0)
  if ((c >= 48 && c <= 57) || c === 45) {
    if (INT.test(value)) return Number(value)
    if (NUM.test(value)) {
      const n = Number(value)
      if (Number.isFinite(n)) return n
    }
  }
  return value
}

function decodeComponent(text: string): string {
  const plus = text.includes('+') ? text.replaceAll('+', ' ') : text
  if (!plus.includes('%')) return plus
  try {
    return decodeURIComponent(plus)
  } catch {
    // Malformed escapes: keep the raw text (WHATWG leaves undecodable sequences as they are).
    return plus
  }
}

export interface Fields {
  /** null-prototype record: name -> coerced value, or an array of them when repeated */
  record: Record<string, unknown>
  /** pairs beyond the cap, counted only */
  skipped: number
}

/** Splits `a=1&b=2&a=3` into a null-prototype record of coerced values (repeated names -> arrays). */
export function parseFields(text: string, maxFields: number): Fields {
  const record = Object.create(null) as Record<string, unknown>
  let skipped = 0
  let count = 0
  let start = 0
  while (start <= text.length) {
    let end = text.indexOf('&', start)
    if (end === -1) end = text.length
    if (end > start) {
      if (count >= maxFields) {
        skipped++
      } else {
        count++
        const pair = text.slice(start, end)
        const eq = pair.indexOf('=')
        const rawName = eq === -1 ? pair : pair.slice(0, eq)
        const rawValue = eq === -1 ? '' : pair.slice(eq + 1)
        const name = decodeComponent(rawName.slice(0, MAX_NAME_LENGTH))
        const value = coerceValue(decodeComponent(rawValue.slice(0, MAX_VALUE_LENGTH)))
        if (Object.hasOwn(record, name)) {
          const prev = record[name]
          if (Array.isArray(prev)) prev.push(value)
          else record[name] = [prev, value]
        } else {
          record[name] = value
        }
      }
    }
    start = end + 1
  }
  return { record, skipped }
}
