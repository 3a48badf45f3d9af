import { describe, expect, test } from 'vitest'
import {
  hasCardBrand,
  ibanMod97,
  isIban,
  isJwt,
  isLuhnValid,
  isUsSsn,
  isValidSsnDigits,
  keyClassOf,
  keyWords,
} from '../../src/security/index.js'

describe('Luhn', () => {
  test.each([
    ['4111111111111111', true],
    ['79927398713', true],
    ['0', false],
    ['79927398710', false],
    ['4111111111111112', false],
    ['4111-1111', false],
    ['', false],
  ])('%s -> %s', (digits, ok) => {
    expect(isLuhnValid(digits)).toBe(ok)
  })
})

describe('card brands', () => {
  test.each([
    ['4111111111111111', true],
    ['378282246310005', true],
    ['37828224631000', false],
    ['5500005555555559', true],
    ['1234567812345670', false],
    ['9000000000000019', false],
  ])('%s -> %s', (digits, ok) => {
    expect(hasCardBrand(digits)).toBe(ok)
  })
})

describe('IBAN mod 97', () => {
  test.each([
    ['GB82WEST12345698765432', 1],
    ['GB82WEST12345698765433', 28],
    ['DE89370400440532013000', 1],
    ['gb82west12345698765432', -1],
  ])('%s -> %d', (iban, rem) => {
    expect(ibanMod97(iban)).toBe(rem)
  })

  test.each([
    ['GB82 WEST 1234 5698 7654 32', true],
    ['GB82  WEST 1234 5698 7654 32', false],
    ['GB82 WES T1234 5698 7654 32', false],
    ['NO9386011117947', true],
    ['NO938601111794', false],
  ])('%s -> %s', (iban, ok) => {
    expect(isIban(iban)).toBe(ok)
  })
})

describe('US SSN', () => {
  test.each([
    ['219451234', true],
    ['899991234', true],
    ['000451234', false],
    ['666451234', false],
    ['900451234', false],
    ['219001234', false],
    ['219450000', false],
    ['078051120', false],
    ['21945123', false],
    ['21945123a', false],
  ])('%s -> %s', (digits, ok) => {
    expect(isValidSsnDigits(digits)).toBe(ok)
  })

  test('bare digits count only when the field name says SSN', () => {
    expect(isUsSsn('219451234')).toBe(false)
    expect(isUsSsn('219451234', true)).toBe(true)
    expect(isUsSsn('219-45-1234')).toBe(true)
  })
})

describe('JWT', () => {
  test('needs three (or five) base64url parts and a JSON header with alg', () => {
    const header = Buffer.from('{"alg":"HS256"}').toString('base64url')
    const body = Buffer.from('{"sub":"1"}').toString('base64url')
    expect(isJwt(`${header}.${body}.c2lnbmF0dXJlMTIz`)).toBe(true)
    expect(isJwt(`${header}.${body}.`)).toBe(true)
    expect(isJwt(`${header}.${body}`)).toBe(false)
    expect(isJwt(`${header}..c2ln`)).toBe(false)
    expect(isJwt(`${Buffer.from('{"alg":1}').toString('base64url')}.${body}.c2lnbmF0dXJl`)).toBe(false)
    expect(isJwt(`eyJub3QganNvbg.${body}.c2lnbmF0dXJl`)).toBe(false)
  })
})

describe('field names', () => {
  test.each([
    ['dateOfBirth', ['date', 'of', 'birth']],
    ['X-Api-Key', ['x', 'api', 'key']],
    ['access_token', ['access', 'token']],
    ['HTTPStatus', ['httpstatus']],
    ['ipV4', ['ip', 'v4']],
  ])('%s splits into %j', (key, words) => {
    expect(keyWords(key)).toEqual(words)
  })

  test.each([
    ['password', 'password'],
    ['userPassword', 'password'],
    ['password_confirmation', 'password'],
    ['password_hash', 'secret'],
    ['passwordResetUrl', 'none'],
    ['api_key', 'secret'],
    ['apikey', 'secret'],
    ['sessionId', 'secret'],
    ['token_type', 'none'],
    ['pageToken', 'none'],
    ['total_tokens', 'none'],
    ['dob', 'date-of-birth'],
    ['birthDate', 'date-of-birth'],
    ['phone_number', 'phone'],
    ['remote_addr', 'ip'],
    ['client_ip', 'ip'],
    ['os_version', 'version'],
    ['ssn', 'ssn'],
    ['name', 'none'],
  ])('%s -> %s', (key, cls) => {
    expect(keyClassOf(key)).toBe(cls)
  })
})
