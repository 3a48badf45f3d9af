// Telephone numbers: E.164 (`+` country code, at most 15 digits, ITU-T E.164 §6) with or without
// grouping, and the common national formats (NANP `(415) 555-2671`, trunk-prefix `020 7946 0958`).
// One pass over the characters, no regular expression: linear by construction.

const MAX_CHARS = 24

interface PhoneScan {
  digits: number
  /** digit groups, split by separators or parentheses */
  groups: number[]
  plus: boolean
  parens: boolean
  firstDigit: number
}

function scan(value: string): PhoneScan | undefined {
  const groups: number[] = []
  let digits = 0
  let group = 0
  let plus = false
  let parens = false
  let open = false
  let firstDigit = -1
  let lastWasSep = false
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      if (firstDigit < 0) firstDigit = c - 48
      digits++
      group++
      lastWasSep = false
      continue
    }
    if (c === 43 /* + */) {
      if (i !== 0) return undefined
      plus = true
      continue
    }
    if (c === 40 /* ( */) {
      if (open || group > 0) return undefined
      open = true
      parens = true
      continue
    }
    if (c === 41 /* ) */) {
      if (!open || group === 0) return undefined
      open = false
      groups.push(group)
      group = 0
      lastWasSep = false
      continue
    }
    if (c === 32 || c === 45 || c === 46 /* space - . */) {
      // `) ` is one separator; two separators in a row are not a phone number.
      if (lastWasSep || open) return undefined
      if (group > 0) groups.push(group)
      group = 0
      lastWasSep = true
      continue
    }
    return undefined
  }
  if (open || lastWasSep) return undefined
  if (group > 0) groups.push(group)
  return { digits, groups, plus, parens, firstDigit }
}

/**
 * True when `value` is a telephone number. With `keyed` (the field name says phone) any
 * 7-15 digits in a phone-like layout count; otherwise the number needs a `+` country code
 * (8-15 digits) or a recognisable national grouping.
 */
export function isPhone(value: string, keyed = false): boolean {
  const len = value.length
  if (len < 7 || len > MAX_CHARS) return false
  const s = scan(value)
  if (s === undefined || s.digits < 7 || s.digits > 15) return false
  if (keyed) return true
  if (s.plus) return s.digits >= 8 && s.firstDigit !== 0
  const g = s.groups
  // NANP: NXX NXX XXXX, area and exchange codes start with 2-9.
  if (s.digits === 10 && g.length === 3 && g[0] === 3 && g[1] === 3 && g[2] === 4) {
    const exchangeFirst = value.charCodeAt(value.length - 8) - 48
    return s.firstDigit >= 2 && exchangeFirst >= 2
  }
  // National formats with a trunk prefix 0: at least three groups, no group longer than 4.
  // The trunk prefix is followed by an area code, which never starts with another 0.
  if (s.firstDigit === 0 && s.digits >= 10 && s.digits <= 11 && g.length >= 3 && !s.parens) {
    const second = value.charCodeAt(value.indexOf('0') + 1) - 48
    return second >= 1 && second <= 9 && g.every((n) => n >= 2 && n <= 4)
  }
  return false
}
