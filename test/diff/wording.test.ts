// Findings say numbers the way a reader takes them in: durations in readable units, counts with
// their noun in the right number, shares as percentages.
import { describe, expect, test } from 'vitest'
import { counted, formatDuration, formatShare } from '../../src/finding/index.js'

describe('formatDuration', () => {
  test.each([
    [0, 'under 1 s'],
    [999, 'under 1 s'],
    [4_000, '4 s'],
    [59_400, '59 s'],
    [59_600, '1 min'],
    [553_000, '9 min'],
    [3_600_000, '1 h'],
    [5_400_000, '1 h 30 min'],
    [47 * 3_600_000, '47 h'],
    [50 * 3_600_000, '2 d 2 h'],
    [7 * 86_400_000, '7 d'],
    [Number.NaN, 'under 1 s'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

test('counted and formatShare', () => {
  expect([counted(1, 'request'), counted(2, 'request'), counted(0, 'path')]).toEqual([
    '1 request',
    '2 requests',
    '0 paths',
  ])
  expect([formatShare(0.0022), formatShare(0.05), formatShare(0.97), formatShare(0)]).toEqual([
    '0.22%',
    '5.0%',
    '97%',
    '0%',
  ])
})
