// International Bank Account Numbers (ISO 13616): country code, two check digits, a national
// account number of the country's fixed length; valid when the ISO 7064 mod 97-10 remainder is 1.

// Total IBAN lengths per country (SWIFT IBAN registry).
const IBAN_LENGTH: Readonly<Record<string, number>> = Object.freeze({
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
})

const MAX_CHARS = 42

/** ISO 7064 mod 97-10 over an IBAN (letters A=10 .. Z=35), computed digit by digit. */
export function ibanMod97(compact: string): number {
  // The first four characters move to the end.
  const rearranged = compact.slice(4) + compact.slice(0, 4)
  let rem = 0
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      rem = (rem * 10 + (c - 48)) % 97
    } else if (c >= 65 && c <= 90) {
      rem = (rem * 100 + (c - 55)) % 97
    } else {
      return -1
    }
  }
  return rem
}

/**
 * True when `value` is an IBAN: upper-case country code with a known length, then check
 * digits and alphanumerics, optionally in groups of four separated by single spaces; mod 97 = 1.
 */
export function isIban(value: string): boolean {
  const len = value.length
  if (len < 15 || len > MAX_CHARS) return false
  let compact = ''
  let groupLen = 0
  for (let i = 0; i < len; i++) {
    const c = value.charCodeAt(i)
    if (c === 32) {
      if (groupLen !== 4) return false
      groupLen = 0
      continue
    }
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return false
    compact += value[i]
    groupLen++
  }
  const expected = IBAN_LENGTH[compact.slice(0, 2)]
  if (expected === undefined || compact.length !== expected) return false
  const c2 = compact.charCodeAt(2)
  const c3 = compact.charCodeAt(3)
  if (c2 < 48 || c2 > 57 || c3 < 48 || c3 > 57) return false
  return ibanMod97(compact) === 1
}
