// The pipeline between the tap and the store, against a real in-memory sink.
import { describe, expect, test } from 'vitest'
import { type Capture, createCapture, type Observation, type ObservationSink } from '../../src/capture/index.js'
import { OBSERVE_AT } from '../../src/capture/capture.js'
import type { SpecterError } from '../../src/errors.js'
import { copyOf, exchange } from './exchange-builder.js'

/** A store that keeps what it is given, and can be made to fail like a full or locked database. */
class MemorySink implements ObservationSink {
  readonly written: Observation[] = []
  readonly batches: number[] = []
  failing: Error | undefined
  calls = 0

  record(observations: Observation[]): void {
    this.calls++
    if (this.failing !== undefined) throw this.failing
    this.batches.push(observations.length)
    this.written.push(...observations)
  }
}

interface Logged {
  level: string
  obj: object
  msg: string
}

function setup(options: Parameters<typeof createCapture>[0]['options'] = {}) {
  const store = new MemorySink()
  const logs: Logged[] = []
  const errors: SpecterError[] = []
  const capture: Capture = createCapture({
    store,
    options: { clientKeySalt: 'salt', ...options },
    logger: {
      warn: (obj, msg) => logs.push({ level: 'warn', obj, msg }),
      info: (obj, msg) => logs.push({ level: 'info', obj, msg }),
    },
    onError: (err) => errors.push(err),
  })
  return { store, capture, logs, errors }
}

const get = (i: number) => exchange({ url: `/items/${i}?q=${i}` })

describe('createCapture', () => {
  test('submit returns at once; drain resolves when everything submitted is written', async () => {
    const { store, capture } = setup()
    for (let i = 0; i < 1200; i++) capture.submit(get(i))
    // Nothing is observed inside submit: the work happens later, off the caller's stack.
    expect(store.written.length).toBe(0)
    expect(capture.stats().queueDepth).toBe(1200)
    await capture.drain()
    expect(store.written.length).toBe(1200)
    expect(store.written.map((o) => o.segmentValues[0]?.[1])).toEqual(Array.from({ length: 1200 }, (_, i) => String(i)))
    expect(Math.max(...store.batches)).toBeLessThanOrEqual(500)
    const s = capture.stats()
    expect(s).toMatchObject({
      submitted: 1200,
      observationsWritten: 1200,
      dropped: 0,
      queueDepth: 0,
      pendingObservations: 0,
    })
    await capture.close()
  })

  test('drain with nothing submitted resolves at once', async () => {
    const { capture } = setup()
    await capture.drain()
    await capture.close()
  })

  test('the flush timer writes without a drain', async () => {
    const { store, capture } = setup({ flushIntervalMs: 5 })
    const written = new Promise<void>((resolve) => {
      const record = store.record.bind(store)
      store.record = (o) => {
        record(o)
        resolve()
      }
    })
    capture.submit(get(1))
    await written
    expect(store.written.length).toBe(1)
    await capture.close()
  })

  test('exchanges are observed once a few dozen wait, and written together once the batch is due', async () => {
    const { store, capture } = setup({ flushIntervalMs: 60_000 })
    const turn = () => new Promise<void>((resolve) => setImmediate(resolve))
    for (let round = 1; round <= 3; round++) {
      for (let i = 0; i < OBSERVE_AT - 1; i++) capture.submit(get(i))
      await turn()
      // Light traffic waits for the flush timer...
      expect(capture.stats().queueDepth).toBe(OBSERVE_AT - 1)
      capture.submit(get(OBSERVE_AT))
      await turn()
      // ...a few dozen are observed on the next turn (collected young), not written: the batch is not due.
      expect(capture.stats()).toMatchObject({
        queueDepth: 0,
        pendingObservations: round * OBSERVE_AT,
        observationsWritten: 0,
      })
    }
    expect(store.calls).toBe(0)
    await capture.drain()
    expect(store.batches).toEqual([3 * OBSERVE_AT])
    await capture.close()
  })

  test('when the queue is full, new exchanges are dropped and counted, never blocking', async () => {
    const { store, capture } = setup({ queueSize: 100, batchSize: 1000 })
    for (let i = 0; i < 250; i++) capture.submit(get(i))
    expect(capture.stats()).toMatchObject({ submitted: 250, dropped: 150, droppedQueueFull: 150, queueDepth: 100 })
    await capture.drain()
    expect(store.written.length).toBe(100)
    // The oldest are kept: the queue refuses new work rather than discarding accepted work.
    expect(store.written[99]?.segmentValues[0]?.[1]).toBe('99')
    await capture.close()
  })

  test('the queue is also bounded in body bytes', async () => {
    const { capture } = setup({ maxQueueBytes: 10_000 })
    const big = () =>
      exchange({ responseHeaders: { 'content-type': 'text/plain' }, responseBody: copyOf(Buffer.alloc(4_000, 97)) })
    for (let i = 0; i < 5; i++) capture.submit(big())
    expect(capture.stats()).toMatchObject({ queueDepth: 2, droppedQueueFull: 3, queueBytes: 8_000 })
    await capture.close()
  })

  test('a failing store keeps observations within the bound, logs once, and writes them once it recovers', async () => {
    const { store, capture, logs, errors } = setup({ retryBufferSize: 300, batchSize: 100 })
    store.failing = Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' })
    for (let i = 0; i < 200; i++) capture.submit(get(i))
    await expect(capture.drain()).rejects.toMatchObject({ code: 'SPECTER_ERR_STORE_UNAVAILABLE' })
    for (let i = 200; i < 500; i++) capture.submit(get(i))
    await expect(capture.drain()).rejects.toMatchObject({ code: 'SPECTER_ERR_STORE_UNAVAILABLE' })
    const down = capture.stats()
    expect(down.storeFailing).toBe(true)
    expect(down.storeErrors).toBeGreaterThanOrEqual(2)
    expect(down.pendingObservations).toBe(300)
    expect(down.droppedStoreDown).toBe(200)
    expect(down.queueDepth).toBe(0)
    expect(logs.filter((l) => l.level === 'warn').length).toBe(1)
    expect(errors.every((e) => e.code === 'SPECTER_ERR_STORE_UNAVAILABLE')).toBe(true)
    expect(store.written.length).toBe(0)

    store.failing = undefined
    await capture.drain()
    expect(store.written.length).toBe(300)
    // Kept in order, the oldest first; the newest beyond the bound were the ones dropped.
    expect(store.written.map((o) => o.segmentValues[0]?.[1])).toEqual(Array.from({ length: 300 }, (_, i) => String(i)))
    const up = capture.stats()
    expect(up).toMatchObject({ storeFailing: false, observationsWritten: 300, pendingObservations: 0, dropped: 200 })
    expect(logs.filter((l) => l.level === 'info').length).toBe(1)
    // Nothing secret or input-derived in the log lines.
    expect(JSON.stringify(logs)).not.toContain('/items/')
    await capture.close()
  })

  test('close writes everything, then later submits are dropped and counted', async () => {
    const { store, capture } = setup()
    for (let i = 0; i < 10; i++) capture.submit(get(i))
    await capture.close()
    expect(store.written.length).toBe(10)
    capture.submit(get(11))
    expect(capture.stats()).toMatchObject({ droppedClosed: 1, dropped: 1, submitted: 11 })
    await capture.drain()
    expect(store.written.length).toBe(10)
  })

  test('an exchange observe cannot handle is counted, logged once and recorded as invalid', async () => {
    const { store, capture, logs } = setup()
    const broken = get(1)
    // A hostile shape the types do not allow: the url getter throws.
    Object.defineProperty(broken, 'url', {
      get() {
        throw new TypeError('boom /secret-path')
      },
    })
    capture.submit(broken)
    capture.submit(broken)
    capture.submit(get(2))
    await capture.drain()
    expect(store.written.length).toBe(3)
    expect(store.written[0]?.requestBody).toMatchObject({ kind: 'invalid', error: 'observe-failed' })
    expect(store.written[2]?.pathKey).toBe('/items/{int}')
    expect(capture.stats().tapErrors).toBe(2)
    expect(logs.filter((l) => l.level === 'warn').length).toBe(1)
    expect(JSON.stringify(logs)).not.toContain('secret-path')
    await capture.close()
  })

  test('tap errors reported by the proxy are counted and logged once', async () => {
    const { capture, logs } = setup()
    capture.noteTapError(new Error('copy failed'))
    capture.noteTapError(new Error('copy failed'))
    expect(capture.stats().tapErrors).toBe(2)
    expect(logs.length).toBe(1)
    await capture.close()
  })

  test('decode failures and truncated bodies are counted', async () => {
    const { capture } = setup()
    capture.submit(
      exchange({
        responseHeaders: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        responseBody: copyOf('not gzip'),
      }),
    )
    capture.submit(
      exchange({ responseHeaders: { 'content-type': 'application/json' }, responseBody: copyOf('[1,2,3,4]', 4) }),
    )
    capture.submit(exchange({ responseHeaders: { 'content-type': 'application/json' }, responseBody: copyOf('{"a":') }))
    await capture.drain()
    expect(capture.stats()).toMatchObject({ decodeFailures: 2, truncatedBodies: 1 })
    await capture.close()
  })

  test('identical bodies share one summary through the cache and still count per exchange', async () => {
    const { store, capture } = setup()
    const body = JSON.stringify({ id: 1, name: 'x' })
    for (let i = 0; i < 3; i++) {
      capture.submit(exchange({ responseHeaders: { 'content-type': 'application/json' }, responseBody: copyOf(body) }))
    }
    await capture.drain()
    expect(store.written.length).toBe(3)
    expect(store.written[0]?.responseBody).toEqual(store.written[2]?.responseBody)
    expect(store.written[0]?.responseBody.shape?.obj?.props.id?.int).toBe(1)
    await capture.close()
  })

  test('examples are asked of the store per endpoint', async () => {
    const asked: string[] = []
    const { store, capture } = setup({
      wantExample: (method, pathKey, status) => {
        asked.push(`${method} ${pathKey} ${status}`)
        return true
      },
    })
    capture.submit(
      exchange({
        url: '/a/1',
        responseHeaders: { 'content-type': 'application/json' },
        responseBody: copyOf('{"k":"v"}'),
      }),
    )
    await capture.drain()
    expect(asked).toEqual(['GET /a/{int} 200'])
    expect(store.written[0]?.example?.response).toBe('{"k":"<string>"}')
    await capture.close()
  })
})
