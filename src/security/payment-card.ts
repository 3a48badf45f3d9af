// Payment card numbers (PAN): 13 to 19 digits, optionally grouped by spaces or dashes, with a
// known issuer prefix (IIN) and a valid Luhn check digit. The prefix and length table cuts the
// 1-in-10 chance that an arbitrary digit string passes Luhn down to a handful of ranges.
import { isLuhnValid } from './luhn.js'

const MIN_DIGITS = 13
const MAX_DIGITS = 19
// 19 digits plus at most one separator between each pair of digits.
const MAX_CHARS = 37

function allSame(s: string): boolean {
  for (let i = 1; i < s.length; i++) if (s.charCodeAt(i) !== s.charCodeAt(0)) return false
  return true
}

function prefix(digits: string, n: number): number {
  return Number(digits.slice(0, n))
}

/** True when the issuer prefix and length fit a card brand (Visa, Mastercard, Amex, ...). */
export function hasCardBrand(digits: string): boolean {
  const len = digits.length
  const p1 = prefix(digits, 1)
  const p2 = prefix(digits, 2)
  const p3 = prefix(digits, 3)
  const p4 = prefix(digits, 4)
  const p6 = prefix(digits, 6)
  // Visa
  if (p1 === 4) return len === 13 || len === 16 || len === 19
  // American Express
  if (p2 === 34 || p2 === 37) return len === 15
  // Mastercard (51-55, 2221-2720)
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return len === 16
  // Discover (6011, 644-649, 65, 622126-622925)
  if (p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65 || (p6 >= 622126 && p6 <= 622925)) {
    return len >= 16 && len <= 19
  }
  // JCB
  if (p4 >= 3528 && p4 <= 3589) return len >= 16 && len <= 19
  // Diners Club (300-305, 36, 38-39)
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return len >= 14 && len <= 19
  // UnionPay (62), Maestro (50, 56-69)
  if (p2 === 62 || p2 === 50 || (p2 >= 56 && p2 <= 69)) return len >= 16 && len <= 19
  return false
}

/**
 * True when `value` is a payment card number: digits in groups separated by one consistent
 * separator (space or dash) or none, 13-19 digits, a card brand prefix and a valid Luhn digit.
 */
export function isPaymentCard(value: string): boolean {
  const len = value.length
  if (len < MIN_DIGITS || len > MAX_CHARS) return false
  let digits = ''
  let sep = 0
  let groupLen = 0
  for (let i = 0; i < len; i++) {
    const c = value.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      digits += value[i]
      groupLen++
    } else if (c === 32 || c === 45) {
      if (groupLen < 3 || (sep !== 0 && c !== sep)) return false
      sep = c
      groupLen = 0
    } else {
      return false
    }
  }
  if (groupLen === 0 || digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return false
  // All one digit (0000 0000 0000 0000) passes Luhn but is a placeholder, not a card.
  if (allSame(digits)) return false
  return hasCardBrand(digits) && isLuhnValid(digits)
}
