// US Social Security Numbers (SSA rules since 2011 randomisation): area 001-899 except 666,
// group 01-99, serial 0001-9999; a few numbers published in advertising are known fakes.

const KNOWN_FAKE: ReadonlySet<string> = new Set(['078051120', '219099999', '123456789'])

/** True for a valid SSN given as its 9 digits. */
export function isValidSsnDigits(digits: string): boolean {
  if (digits.length !== 9 || !/^[0-9]{9}$/.test(digits)) return false
  const area = Number(digits.slice(0, 3))
  const group = Number(digits.slice(3, 5))
  const serial = Number(digits.slice(5))
  if (area === 0 || area === 666 || area >= 900) return false
  if (group === 0 || serial === 0) return false
  return !KNOWN_FAKE.has(digits)
}

const SSN_DASHED = /^[0-9]{3}-[0-9]{2}-[0-9]{4}$/

/**
 * True for an SSN written `AAA-GG-SSSS`. Nine bare digits only count when `bareAllowed`
 * (the field name says SSN): on their own they are indistinguishable from any other number.
 */
export function isUsSsn(value: string, bareAllowed = false): boolean {
  if (value.length === 11 && SSN_DASHED.test(value)) {
    return isValidSsnDigits(value.slice(0, 3) + value.slice(4, 6) + value.slice(7))
  }
  return bareAllowed && value.length === 9 && isValidSsnDigits(value)
}
