// The Luhn (mod 10) check digit used by payment card numbers (ISO/IEC 7812-1 Annex B).

/** True when a string of ASCII digits passes the Luhn check. Non-digits make it false. */
export function isLuhnValid(digits: string): boolean {
  const len = digits.length
  if (len < 2) return false
  let sum = 0
  let double = false
  for (let i = len - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48
    if (d < 0 || d > 9) return false
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return sum % 10 === 0
}
