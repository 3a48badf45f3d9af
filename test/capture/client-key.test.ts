import { createHmac } from 'node:crypto'
import { expect, test } from 'vitest'
import { clientKeyOf } from '../../src/capture/client-key.js'

test.each([
  ['salt', 'authorization:Bearer abc'],
  ['', 'address:127.0.0.1'],
  ['s'.repeat(200), 'header:k'],
  ['ünïcödé', 'cookie:ü'],
])('is HMAC-SHA256 (RFC 2104) of the tagged credential, cut to 16 hex (salt %#)', (salt, input) => {
  const expected = createHmac('sha256', salt).update(input).digest('hex').slice(0, 16)
  const [kind, ...rest] = input.split(':')
  const value = rest.join(':')
  const got = kind === 'address' ? clientKeyOf(salt, undefined, value) : clientKeyOf(salt, input, 'ignored')
  expect(got).toBe(expected)
})

test('a Buffer salt gives the same key as the same bytes as a string', () => {
  expect(clientKeyOf(Buffer.from('abc'), 'x', '')).toBe(clientKeyOf('abc', 'x', ''))
})
