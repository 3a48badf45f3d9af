// The wiring `specter proxy` and the demo share: the tracking sink, the timer, the last persist on
// close, and failures that go to onError instead of the capture.
import { afterEach, describe, expect, onTestFinished, test, vi } from 'vitest'
import type { Observation } from '../../src/capture/index.js'
import { createEnumerationRecorder, EnumerationTracker } from '../../src/security/index.js'
import { openStore, type Store } from '../../src/store/index.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { observation } from '../store/observations.js'

const T0 = 1_700_000_000_000
const INTERVAL_MS = 60_000

function walk(clientKey: string, ids: number): Observation[] {
  return Array.from({ length: ids }, (_, i) => ({
    ...observation({ path: `/accounts/${i + 1}`, timeMs: T0 + i }),
    clientKey,
  }))
}

function open(): Store {
  const store = openStore({ path: tempDbPath() })
  onTestFinished(() => store.close())
  return store
}

afterEach(() => {
  vi.useRealTimers()
})

describe('createEnumerationRecorder', () => {
  test('the sink feeds the tracker and the store; suspects are stored on each tick and once more on close', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const store = open()
    let nowMs = T0 + 1000
    const errors: unknown[] = []
    const recorder = createEnumerationRecorder({
      tracker: new EnumerationTracker({ minDistinct: 10, maxDistinct: 50 }),
      sink: store,
      database: store.database,
      evaluateIntervalMs: INTERVAL_MS,
      now: () => nowMs,
      onError: (err) => errors.push(err),
    })
    recorder.sink.record([...walk('walker', 60), ...walk('reader', 3)])
    expect(store.inventory().endpoints[0]?.count).toBe(63)
    expect(recorder.store.list()).toEqual([])

    vi.advanceTimersByTime(INTERVAL_MS)
    expect(recorder.store.list().map((e) => [e.clientKey, e.maxDistinct, e.hits, e.reason])).toEqual([
      ['walker', 60, 1, 'threshold'],
    ])
    expect(recorder.tracker.stats().suspects).toBe(1)

    nowMs += INTERVAL_MS
    recorder.close()
    const [event] = recorder.store.list()
    expect(event).toMatchObject({ clientKey: 'walker', hits: 2, lastSeenMs: nowMs })
    // The timer is gone and close() is idempotent: nothing more is stored.
    vi.advanceTimersByTime(10 * INTERVAL_MS)
    recorder.close()
    expect(recorder.store.list()[0]?.hits).toBe(2)
    expect(errors).toEqual([])
  })

  test('without an interval only persist() and close() store suspects', () => {
    const store = open()
    const recorder = createEnumerationRecorder({
      tracker: new EnumerationTracker({ minDistinct: 10, maxDistinct: 50 }),
      sink: store,
      database: store.database,
    })
    recorder.sink.record(walk('walker', 60))
    expect(recorder.store.list()).toEqual([])
    expect(recorder.persist(T0 + 5000)).toBe(1)
    expect(recorder.store.list()[0]).toMatchObject({ clientKey: 'walker', lastSeenMs: T0 + 5000, hits: 1 })
  })

  test('a failing store of suspects goes to onError, never to the caller', () => {
    const store = openStore({ path: tempDbPath() })
    const errors: unknown[] = []
    const recorder = createEnumerationRecorder({
      tracker: new EnumerationTracker({ minDistinct: 10, maxDistinct: 50 }),
      sink: store,
      database: store.database,
      now: () => T0 + 1000,
      onError: (err) => errors.push(err),
    })
    recorder.sink.record(walk('walker', 60))
    store.close()
    expect(() => recorder.close()).not.toThrow()
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ code: 'SPECTER_ERR_STORE_UNAVAILABLE' })
  })
})
