// foldDigitSegments is the key of the path-key memos in capture and metrics: it must never change
// a path key, nor the positions of the values the key keeps.
import { expect, test } from 'vitest'
import { foldDigitSegments, pathKeyOf } from '../../src/infer/index.js'

test.each([
  ['/users/42', '/users/0'],
  ['/users/0/orders/77', '/users/0/orders/0'],
  ['/v1/2024/orders/3', '/v1/0/orders/0'],
  ['/api/12345678901234567890/x', '/api/0/x'],
  // 21 digits is no {int}: left alone
  ['/api/123456789012345678901/x', '/api/123456789012345678901/x'],
  ['/orders/0042', '/orders/0'],
  ['/orders/2024-01-02/items/9', '/orders/2024-01-02/items/0'],
  ['/a//5/', '/a//0/'],
  ['/files/12.json', '/files/12.json'],
  ['/users', '/users'],
])('%s folds to %s and keeps its path key and value positions', (path, folded) => {
  expect(foldDigitSegments(path)).toBe(folded)
  const original = pathKeyOf(path)
  const key = pathKeyOf(folded)
  expect(key.pathKey).toBe(original.pathKey)
  expect(key.values.map(([index]) => index)).toEqual(original.values.map(([index]) => index))
})

test('a path with nothing to fold is returned as is (no copy)', () => {
  const path = '/users/me'
  expect(foldDigitSegments(path)).toBe(path)
})
