import { describe, expect, test } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { EnumerationTracker, EXACT_CAP, objectIdOf } from '../../src/security/index.js'

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0)
const MINUTE = 60_000

describe('EnumerationTracker', () => {
  test('one client walking /accounts/1..500 among a normal client reading 5 is the one suspect', () => {
    const tracker = new EnumerationTracker()
    for (let i = 1; i <= 500; i++) tracker.observe('walker', 'GET', '/accounts/{int}', String(i), T0 + i * 100)
    for (let i = 1; i <= 5; i++) tracker.observe('normal', 'GET', '/accounts/{int}', String(i * 7), T0 + i * 1000)
    const suspects = tracker.evaluate(T0 + 10 * MINUTE)
    expect(suspects).toHaveLength(1)
    const [s] = suspects
    expect(s).toMatchObject({ clientKey: 'walker', method: 'GET', pathKey: '/accounts/{int}', peers: 1, peerMedian: 5 })
    expect(s?.reason).toBe('peers')
    expect(s?.estimated).toBe(true)
    expect(Math.abs((s?.distinct ?? 0) - 500) / 500).toBeLessThan(0.2)
    expect(tracker.distinct('normal', 'GET', '/accounts/{int}', T0 + 10 * MINUTE)).toBe(5)
    expect(tracker.stats()).toMatchObject({ tracked: 2, sketched: 1, suspects: 1, observedTotal: 505 })
  })

  test('repeated requests for the same object count once', () => {
    const tracker = new EnumerationTracker()
    for (let i = 0; i < 1000; i++) tracker.observe('c', 'GET', '/a/{int}', '42', T0 + i)
    expect(tracker.distinct('c', 'GET', '/a/{int}', T0 + 1000)).toBe(1)
    expect(tracker.stats().sketched).toBe(0)
  })

  test('counts stay exact up to EXACT_CAP distinct ids, then upgrade to sketches', () => {
    const tracker = new EnumerationTracker()
    for (let i = 0; i < EXACT_CAP; i++) tracker.observe('c', 'GET', '/a/{int}', `id-${i}`, T0)
    expect(tracker.distinct('c', 'GET', '/a/{int}', T0)).toBe(EXACT_CAP)
    expect(tracker.stats().sketched).toBe(0)
    tracker.observe('c', 'GET', '/a/{int}', 'one-more', T0)
    expect(tracker.stats().sketched).toBe(1)
    expect(Math.abs(tracker.distinct('c', 'GET', '/a/{int}', T0) - (EXACT_CAP + 1))).toBeLessThanOrEqual(8)
  })

  test('keeps operations and clients apart', () => {
    const tracker = new EnumerationTracker()
    for (let i = 0; i < 30; i++) {
      tracker.observe('c', 'GET', '/a/{int}', String(i), T0)
      tracker.observe('c', 'DELETE', '/a/{int}', String(i), T0)
      tracker.observe('d', 'GET', '/b/{int}', String(i), T0)
    }
    expect(tracker.distinct('c', 'GET', '/a/{int}', T0)).toBe(30)
    expect(tracker.distinct('c', 'DELETE', '/a/{int}', T0)).toBe(30)
    expect(tracker.distinct('d', 'GET', '/a/{int}', T0)).toBe(0)
    expect(tracker.stats().tracked).toBe(3)
  })

  test('a client of many operations keeps them apart, before and after its chain becomes a map', () => {
    const tracker = new EnumerationTracker({ maxTracked: 40 })
    for (let op = 0; op < 20; op++) {
      for (const method of ['GET', 'DELETE']) {
        for (let i = 0; i <= op; i++) tracker.observe('wide', method, `/r${op}/{int}`, String(i), T0 + op)
      }
    }
    for (let op = 0; op < 20; op++) {
      expect(tracker.distinct('wide', 'GET', `/r${op}/{int}`, T0)).toBe(op + 1)
      expect(tracker.distinct('wide', 'DELETE', `/r${op}/{int}`, T0)).toBe(op + 1)
    }
    expect(tracker.stats().tracked).toBe(40)
    // 40 pairs from other clients evict every pair of `wide`, oldest first.
    for (let c = 0; c < 40; c++) tracker.observe(`other-${c}`, 'GET', '/r0/{int}', '1', T0 + 100 + c)
    expect(tracker.stats()).toMatchObject({ tracked: 40, evictedTotal: 40 })
    expect(tracker.distinct('wide', 'GET', '/r19/{int}', T0)).toBe(0)
    expect(tracker.evaluate(T0 + 200)).toEqual([])
  })

  test('objects leave the window bucket by bucket, idle pairs are forgotten', () => {
    const tracker = new EnumerationTracker({ windowMs: 60 * MINUTE, buckets: 6 })
    // 300 ids in the first 10-minute bucket, 30 in the fourth.
    for (let i = 0; i < 300; i++) tracker.observe('c', 'GET', '/a/{int}', String(i), T0 + (i % 10) * 1000)
    for (let i = 0; i < 30; i++) tracker.observe('c', 'GET', '/a/{int}', `late-${i}`, T0 + 35 * MINUTE)
    const full = tracker.distinct('c', 'GET', '/a/{int}', T0 + 40 * MINUTE)
    expect(Math.abs(full - 330) / 330).toBeLessThan(0.2)
    // An hour after the first bucket it has left the window; the late ids have not.
    const later = tracker.distinct('c', 'GET', '/a/{int}', T0 + 61 * MINUTE)
    expect(Math.abs(later - 30)).toBeLessThanOrEqual(3)
    expect(tracker.distinct('c', 'GET', '/a/{int}', T0 + 100 * MINUTE)).toBe(0)
    expect(tracker.evaluate(T0 + 100 * MINUTE)).toEqual([])
    expect(tracker.stats().tracked).toBe(0)
    expect(tracker.stats().sketched).toBe(0)
  })

  test('exact sets expire too', () => {
    const tracker = new EnumerationTracker()
    for (let i = 0; i < 10; i++) tracker.observe('c', 'GET', '/a/{int}', String(i), T0)
    tracker.observe('c', 'GET', '/a/{int}', '3', T0 + 55 * MINUTE)
    expect(tracker.distinct('c', 'GET', '/a/{int}', T0 + 59 * MINUTE)).toBe(10)
    expect(tracker.distinct('c', 'GET', '/a/{int}', T0 + 61 * MINUTE)).toBe(1)
  })

  test('a client alone is flagged only at the absolute threshold', () => {
    const tracker = new EnumerationTracker({ maxDistinct: 300 })
    for (let i = 0; i < 200; i++) tracker.observe('solo', 'GET', '/a/{int}', String(i), T0)
    expect(tracker.evaluate(T0)).toEqual([])
    for (let i = 200; i < 400; i++) tracker.observe('solo', 'GET', '/a/{int}', String(i), T0)
    const suspects = tracker.evaluate(T0)
    expect(suspects.map((s) => [s.clientKey, s.reason, s.limit])).toEqual([['solo', 'threshold', 300]])
  })

  test('peers: a broad but ordinary spread of readers is not flagged, a scraper among them is', () => {
    const tracker = new EnumerationTracker()
    // 40 clients reading 30..69 objects each: wide, but no one stands out.
    for (let c = 0; c < 40; c++) {
      for (let i = 0; i < 30 + c; i++) tracker.observe(`client-${c}`, 'GET', '/a/{int}', `${c}-${i}`, T0)
    }
    expect(tracker.evaluate(T0)).toEqual([])
    for (let i = 0; i < 400; i++) tracker.observe('scraper', 'GET', '/a/{int}', String(i), T0)
    const suspects = tracker.evaluate(T0)
    expect(suspects.map((s) => s.clientKey)).toEqual(['scraper'])
    expect(suspects[0]?.peers).toBe(40)
  })

  test('memory is bounded: 100k distinct clients keep at most maxTracked pairs', () => {
    const tracker = new EnumerationTracker({ maxTracked: 5000 })
    for (let c = 0; c < 100_000; c++) tracker.observe(`client-${c}`, 'GET', '/a/{int}', String(c % 97), T0 + c)
    const stats = tracker.stats()
    expect(stats.tracked).toBe(5000)
    expect(stats.evictedTotal).toBe(95_000)
    // The most recently seen clients are the ones kept.
    expect(tracker.distinct('client-99999', 'GET', '/a/{int}', T0 + 100_000)).toBe(1)
    expect(tracker.distinct('client-0', 'GET', '/a/{int}', T0 + 100_000)).toBe(0)
  })

  test('an active enumerator survives a flood of one-off clients', () => {
    const tracker = new EnumerationTracker({ maxTracked: 1000 })
    for (let i = 0; i < 20_000; i++) {
      tracker.observe(`oneoff-${i}`, 'GET', '/a/{int}', '1', T0 + i)
      if (i % 10 === 0) tracker.observe('walker', 'GET', '/a/{int}', String(i), T0 + i)
    }
    expect(tracker.stats().tracked).toBe(1000)
    expect(Math.abs(tracker.distinct('walker', 'GET', '/a/{int}', T0 + 20_000) - 2000) / 2000).toBeLessThan(0.2)
  })

  test.each([100, 1_000, 10_000, 100_000])(
    'sketch error for %d distinct ids stays within 3 standard errors (19.5%%)',
    (n) => {
      const tracker = new EnumerationTracker({ maxDistinct: 1e9 })
      for (let i = 0; i < n; i++) tracker.observe('c', 'GET', '/a/{int}', `obj-${i}`, T0)
      const estimate = tracker.distinct('c', 'GET', '/a/{int}', T0)
      expect(Math.abs(estimate - n) / n).toBeLessThan(0.195)
    },
  )

  test('mean relative sketch error over 50 independent runs of 5000 ids is under 6.5% (1.04/sqrt(256))', () => {
    let sum = 0
    for (let run = 0; run < 50; run++) {
      const tracker = new EnumerationTracker()
      for (let i = 0; i < 5000; i++) tracker.observe('c', 'GET', '/a/{int}', `${run}:${i}`, T0)
      sum += Math.abs(tracker.distinct('c', 'GET', '/a/{int}', T0) - 5000) / 5000
    }
    expect(sum / 50).toBeLessThan(0.065)
  })

  test('rejects inconsistent options with a coded error naming the setting', () => {
    for (const bad of [{ buckets: 7 }, { maxTracked: 0 }, { windowMs: 1.5 }, { peerRatio: 0.5 }]) {
      expect(() => new EnumerationTracker(bad)).toThrow(
        expect.objectContaining({
          code: 'SPECTER_ERR_CONFIG_INVALID',
          message: expect.stringContaining('security.enumeration.'),
        }),
      )
    }
  })

  test('the default config section builds a tracker', () => {
    const { enumeration } = loadConfig({ env: {} }).security
    const tracker = new EnumerationTracker(enumeration)
    expect(tracker.options).toMatchObject({ windowMs: 3_600_000, buckets: 6, maxTracked: 10_000 })
  })
})

describe('objectIdOf', () => {
  test.each([
    ['/accounts/42', '/accounts/{int}', '42'],
    ['/accounts/42/orders/7', '/accounts/{int}/orders/{int}', '42/7'],
    ['/v1/users/ada%40example.com', '/v1/users/{email}', 'ada%40example.com'],
    ['/accounts', '/accounts', undefined],
    ['/accounts/42/x', '/accounts/{int}', undefined],
  ])('%s under %s -> %s', (path, pathKey, id) => {
    expect(objectIdOf(path, pathKey)).toBe(id)
  })
})
