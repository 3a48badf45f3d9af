import { describe, expect, test } from 'vitest'
import { classifyNumber, classifyValue, MAX_CLASSIFIED_CHARS } from '../../src/security/index.js'

const JWT =
  'eyJhbGciOiAiUlMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiNDIiLCAiZXhwIjogMTkwMDAwMDAwMH0.eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHg'
const JWT_WITHOUT_ALG =
  'eyJ0eXAiOiAiSldUIn0.eyJzdWIiOiAiNDIiLCAiZXhwIjogMTkwMDAwMDAwMH0.eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHg'
const BCRYPT = '$2b$12$KIXQJQ0s9JH5u0uU5d0y6eZ4r8m5i8kTt5b5R8y6Rk5tQ1Jm2p7hO'

// [field name, value, expected category]: planted sensitive values of every kind.
const matches: Array<[string | undefined, string, string]> = [
  ['email', 'ada.lovelace@example.com', 'email'],
  [undefined, 'ops+alerts@mail.example.co.uk', 'email'],
  ['contact', '+14155552671', 'phone'],
  [undefined, '+44 20 7946 0958', 'phone'],
  [undefined, '+33 1 23 45 67 89', 'phone'],
  [undefined, '(415) 555-2671', 'phone'],
  [undefined, '415-555-2671', 'phone'],
  [undefined, '020 7946 0958', 'phone'],
  ['phone', '4155552671', 'phone'],
  ['mobileNumber', '07700900123', 'phone'],
  [undefined, '4111 1111 1111 1111', 'payment-card'],
  [undefined, '4111111111111111', 'payment-card'],
  [undefined, '5500-0055-5555-5559', 'payment-card'],
  [undefined, '378282246310005', 'payment-card'],
  [undefined, '6011111111111117', 'payment-card'],
  [undefined, '3530111333300000', 'payment-card'],
  [undefined, '2223003122003222', 'payment-card'],
  [undefined, '219-45-1234', 'us-ssn'],
  ['ssn', '219451234', 'us-ssn'],
  ['socialSecurityNumber', '001-01-0001', 'us-ssn'],
  [undefined, 'GB82 WEST 1234 5698 7654 32', 'iban'],
  [undefined, 'DE89370400440532013000', 'iban'],
  ['iban', 'FR1420041010050500013M02606', 'iban'],
  [undefined, 'NL91ABNA0417164300', 'iban'],
  [undefined, JWT, 'jwt'],
  ['authorization', `Bearer ${JWT}`, 'jwt'],
  [undefined, 'AKIAIOSFODNN7EXAMPLE', 'access-key'],
  [undefined, 'ASIAY34FZKBOKMUTVV7A', 'access-key'],
  [undefined, 'AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe', 'access-key'],
  [undefined, 'ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'access-key'],
  [
    undefined,
    'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVW',
    'access-key',
  ],
  [undefined, 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', 'access-key'],
  [undefined, 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'access-key'],
  [undefined, '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----', 'private-key'],
  [undefined, '\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n', 'private-key'],
  [undefined, '-----BEGIN PRIVATE KEY-----\nMIIEvQ', 'private-key'],
  [undefined, BCRYPT, 'password-hash'],
  [undefined, '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG', 'password-hash'],
  [
    undefined,
    '$6$rounds=5000$saltstring$3xv4lT1oaZp6lI5lq2ST2C5gRaJ0t5G3pSg0O5K3m4n5o6p7q8r9s0t1u2v3w4x5y6z7A8B9C0D1E2F3G4H5I6',
    'password-hash',
  ],
  [undefined, 'pbkdf2_sha256$260000$abcdefgh12345678$Zm9vYmFyYmF6cXV4cXV1eGZvb2Jhcg==', 'password-hash'],
  ['password', 'correct horse battery staple', 'password'],
  ['new_password', 'hunter22', 'password'],
  ['passwordHash', BCRYPT, 'password-hash'],
  ['access_token', 'a1b2c3d4e5f6a7b8', 'secret'],
  ['client_secret', 'q8w7e6r5t4y3', 'secret'],
  ['x-api-key', 'k-1234567890', 'secret'],
  ['apiKey', '0123456789abcdef', 'secret'],
  ['refreshToken', 'def50200a1b2c3', 'secret'],
  [undefined, '192.168.1.10', 'ip-address'],
  ['client_ip', '10.0.0.1', 'ip-address'],
  [undefined, '2001:db8::8a2e:370:7334', 'ip-address'],
  ['ipAddress', '::1', 'ip-address'],
  ['dob', '1990-04-12', 'date-of-birth'],
  ['dateOfBirth', '12/04/1990', 'date-of-birth'],
  ['birth_date', '1990-04-12T00:00:00Z', 'date-of-birth'],
  ['birthday', '04.12.1990', 'date-of-birth'],
]

// Look-alikes that must stay unclassified.
const lookAlikes: Array<[string | undefined, string, string]> = [
  [undefined, '4111111111111112', 'card number with a bad Luhn digit'],
  [undefined, '4111 1111 1111 1112', 'grouped card number with a bad Luhn digit'],
  [undefined, '1234567812345670', 'Luhn-valid digits with no card brand'],
  [undefined, '9000000000000019', 'Luhn-valid order number'],
  [undefined, '0000 0000 0000 0000', 'all zeros (Luhn-valid placeholder)'],
  [undefined, '4111-1111 1111-1111', 'mixed separators'],
  [undefined, '8273649182736491', 'random 16 digits'],
  [undefined, '1700000000000', 'millisecond timestamp'],
  [undefined, '1700000000', 'second timestamp'],
  [undefined, '20240115103000', 'compact timestamp'],
  [undefined, '550e8400-e29b-41d4-a716-446655440000', 'UUID'],
  [undefined, '2024-01-15T10:30:00Z', 'timestamp'],
  [undefined, '2024-01-15', 'date'],
  ['created_at', '1990-04-12', 'date under a non-birth field'],
  [undefined, '10:30:00', 'time'],
  [undefined, '1.2.3', 'version'],
  ['version', '10.0.0.1', 'four-part version under a version field'],
  ['appVersion', '1.22.3.4', 'version field'],
  [undefined, 'v1.2.3-beta.4', 'version with a prerelease'],
  [undefined, 'ORD-2024-000123', 'order number'],
  [undefined, '123-456-7890', 'number grouped like a phone but area code 1xx'],
  [undefined, '12345678', 'bare digits'],
  [undefined, '555-12-34567', 'SSN-shaped with wrong groups'],
  [undefined, '000-12-3456', 'SSN with area 000'],
  [undefined, '666-12-3456', 'SSN with area 666'],
  [undefined, '912-12-3456', 'SSN with area 9xx'],
  [undefined, '123-00-4567', 'SSN with group 00'],
  [undefined, '123-45-0000', 'SSN with serial 0000'],
  [undefined, '078-05-1120', 'the Woolworth wallet SSN'],
  ['ssn', '12345', 'short number under ssn'],
  [undefined, 'GB82 WEST 1234 5698 7654 33', 'IBAN with a bad check'],
  [undefined, 'DE8937040044053201300', 'IBAN one character short'],
  [undefined, 'ZZ89370400440532013000', 'unknown IBAN country'],
  [undefined, 'HELLOWORLD12345678', 'upper-case token'],
  [undefined, JWT_WITHOUT_ALG, 'JWT-shaped without alg'],
  [undefined, 'eyJhbGciOiJIUzI1NiJ9.not base64!.sig', 'JWT-shaped with spaces'],
  [undefined, 'AKIAIOSFODNN7EXAMPL', 'AWS-like key one short'],
  [undefined, 'AKIA1234567890123456', 'AWS-like key with digits 0/1/8/9'],
  [undefined, 'ghp_short', 'GitHub prefix, too short'],
  [undefined, '-----BEGIN PUBLIC KEY-----\nMIIBIjAN', 'public key'],
  [undefined, '-----BEGIN CERTIFICATE-----\nMIIB', 'certificate'],
  [undefined, '$2b$12$tooShort', 'truncated bcrypt'],
  [undefined, '$100.00 USD', 'price'],
  ['token_type', 'Bearer', 'token type'],
  ['next_page_token', 'eyJwYWdlIjoyfQ', 'pagination token'],
  ['nextToken', 'abcdefgh12345678', 'pagination token'],
  ['password', '********', 'masked password'],
  ['password', '[REDACTED]', 'redacted password'],
  ['token', 'short', 'too short for a secret'],
  ['password_updated_at', '2024-01-15T10:30:00Z', 'password metadata'],
  ['passwordPolicy', 'min-12-chars', 'password policy'],
  ['tokenExpiresAt', '2024-01-15T10:30:00Z', 'token expiry'],
  ['secret_name', 'prod-db-credentials', 'name of a secret'],
  ['key', 'user:42:profile', 'cache key'],
  ['name', 'Ada Lovelace', 'name'],
  ['description', 'Contact support for help with your order.', 'text'],
  [undefined, 'https://api.example.com/v1/users/42', 'URL'],
  [undefined, 'user@', 'not an email'],
  [undefined, 'a@b', 'email without a domain dot'],
  [undefined, '', 'empty'],
  [undefined, 'ok', 'short word'],
  ['phone', 'unknown', 'word under phone'],
  ['ip', '999.1.1.1', 'octet over 255'],
  [undefined, '01.02.03.04', 'leading zeros'],
  [undefined, '5f4dcc3b5aa765d61d8327deb882cf99', 'hex digest under no field'],
]

describe('classifyValue', () => {
  test.each(matches)('%s = %j is %s', (key, value, category) => {
    expect(classifyValue(key, value)).toBe(category)
  })

  test.each(lookAlikes)('%s = %j stays unclassified (%s)', (key, value) => {
    expect(classifyValue(key, value)).toBeUndefined()
  })

  test('ignores values longer than the cap', () => {
    expect(classifyValue('password', 'x'.repeat(MAX_CLASSIFIED_CHARS + 1))).toBeUndefined()
  })

  test('returns on 100 KB adversarial inputs (linear-safe patterns)', () => {
    // Near-misses for each pattern family, repeated: backtracking regexes would hang here.
    const adversarial = [
      `${'a'.repeat(50_000)}@${'b.'.repeat(25_000)}`,
      `eyJ${'A'.repeat(100_000)}`,
      `eyJhbGciOiJIUzI1NiJ9.${'a.'.repeat(50_000)}`,
      `$2b$12$${'a'.repeat(100_000)}`,
      `$argon2id$v=19$m=1,t=1,p=1$${'a'.repeat(100_000)}`,
      `-----BEGIN ${'A '.repeat(50_000)}`,
      `+${'1 '.repeat(50_000)}`,
      `AKIA${'A'.repeat(100_000)}`,
      `xoxb-${'-'.repeat(100_000)}`,
      `${'1.'.repeat(50_000)}1`,
      `${'1:'.repeat(50_000)}`,
      `GB82 ${'WEST '.repeat(20_000)}`,
    ]
    for (const value of adversarial) {
      expect(classifyValue(undefined, value)).toBeUndefined()
      expect(classifyValue('password_updated_at', value.slice(0, MAX_CLASSIFIED_CHARS))).toBeUndefined()
    }
  })
})

describe('classifyNumber', () => {
  test.each([
    ['card', 4111111111111111, 'payment-card'],
    [undefined, 378282246310005, 'payment-card'],
    ['ssn', 219451234, 'us-ssn'],
    ['phone', 4155552671, 'phone'],
  ] as Array<[string | undefined, number, string]>)('%s = %d is %s', (key, value, category) => {
    expect(classifyNumber(key, value)).toBe(category)
  })

  test.each([
    [undefined, 4111111111111112],
    [undefined, 1700000000000],
    [undefined, 9000000000000019],
    ['id', 219451234],
    ['amount', 4155552671],
    [undefined, 42],
    [undefined, 4.5],
    [undefined, -4111111111111111],
  ] as Array<[string | undefined, number]>)('%s = %d stays unclassified', (key, value) => {
    expect(classifyNumber(key, value)).toBeUndefined()
  })
})
