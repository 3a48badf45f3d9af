import { expect, test } from 'vitest'
import { BottomK, hash53 } from '../../src/store/index.js'
import { prng } from './observations.js'

const values = (n: number, prefix = 'v') => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rnd = prng(seed)
  const out = [...xs]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

test('keeps exactly the k values with the smallest hash, whatever the order and duplicates', () => {
  const all = values(5000)
  const expected = [...all].sort((a, b) => hash53(a) - hash53(b)).slice(0, 64)
  for (const seed of [1, 2, 3]) {
    const s = new BottomK(64)
    for (const v of shuffled([...all, ...all.slice(0, 300)], seed)) s.add(v)
    expect(s.values).toEqual(expected)
  }
})

test('merging sketches equals the sketch of the union, in any grouping', () => {
  const all = values(3000)
  const whole = BottomK.of(64, all)
  const parts = [all.slice(0, 1000), all.slice(800, 2100), all.slice(2000)]
  const a = BottomK.of(64, parts[0] as string[])
  const b = BottomK.of(64, parts[1] as string[])
  const c = BottomK.of(64, parts[2] as string[])
  expect(BottomK.of(64, a.values).merge(b).merge(c).values).toEqual(whole.values)
  expect(BottomK.of(64, c.values).merge(BottomK.of(64, b.values).merge(a)).values).toEqual(whole.values)
})

test('counts exactly below k and estimates within 30% above it', () => {
  expect(BottomK.of(64, values(40)).distinct()).toBe(40)
  expect(BottomK.of(64, [...values(40), ...values(40)]).distinct()).toBe(40)
  for (const n of [1000, 20_000]) {
    const estimate = BottomK.of(64, values(n, `x${n}-`)).distinct()
    expect(Math.abs(estimate - n) / n).toBeLessThan(0.3)
  }
})

test('the sample is spread over the whole value space (uniform, not the first seen)', () => {
  const s = BottomK.of(64, values(10_000))
  const indexes = s.values.map((v) => Number(v.slice(1)))
  expect(indexes.filter((i) => i < 5000).length).toBeGreaterThan(16)
  expect(indexes.filter((i) => i >= 5000).length).toBeGreaterThan(16)
})

test('hash53 is stable and within 53 bits', () => {
  expect(hash53('a')).toBe(hash53('a'))
  expect(hash53('a')).not.toBe(hash53('b'))
  for (const v of values(1000)) expect(Number.isSafeInteger(hash53(v)) && hash53(v) >= 0).toBe(true)
})
