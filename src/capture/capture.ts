// The capture pipeline between the proxy's tap and the store: a bounded queue of raw
// exchanges (submit is O(1) and never blocks), a flush loop that observes them in short
// slices off the request path, and batched writes with a bounded retry buffer, so that a
// slow, full or broken store never reaches a client. Failures are counted, and logged once
// per streak.
import { performance } from 'node:perf_hooks'
import { SpecterError } from '../errors.js'
import { BodyCache } from './body-cache.js'
import type { CaptureSink, Exchange } from './exchange.js'
import { observeWith } from './observe.js'
import type { BodySummary, Observation } from './observation.js'
import { type CaptureOptions, DEFAULT_CAPTURE_OPTIONS } from './options.js'

/** What the capture needs from the store: one batched transaction per call; throws on failure. */
export interface ObservationSink {
  record: (observations: Observation[]) => void
}

/** pino-compatible subset. */
export interface CaptureLogger {
  warn: (obj: object, msg: string) => void
  info: (obj: object, msg: string) => void
}

export interface CaptureStats {
  /** exchanges handed to submit() */
  submitted: number
  /** observations written to the store */
  observationsWritten: number
  /** exchanges or observations dropped, whatever the reason (sum of the three below) */
  dropped: number
  /** dropped at submit because the queue was full (count or bytes) */
  droppedQueueFull: number
  /** dropped because the store kept failing and the retry buffer was full */
  droppedStoreDown: number
  /** dropped because they were submitted after close() */
  droppedClosed: number
  /** failures inside the tap: reported by the proxy, or observe failing on an exchange */
  tapErrors: number
  /** bodies that could not be decoded or parsed (bad encodings, limits, invalid JSON or UTF-8) */
  decodeFailures: number
  /** bodies recorded from a prefix (cut at the copy or decode limit, or the message ended early) */
  truncatedBodies: number
  /** exchanges waiting to be observed */
  queueDepth: number
  /** body bytes held by waiting exchanges */
  queueBytes: number
  /** observations waiting to be written (a batch being built, or kept while the store fails) */
  pendingObservations: number
  /** store.record calls that threw */
  storeErrors: number
  /** the last store.record call threw */
  storeFailing: boolean
}

export interface Capture extends CaptureSink {
  /** counts and logs (once per streak) a failure of the proxy's tap; the client never sees it */
  noteTapError: (err: unknown) => void
  /** stops the flush timer after writing everything submitted; later submits are dropped and counted */
  close: () => Promise<void>
  stats: () => CaptureStats
}

export interface CreateCaptureOptions {
  store: ObservationSink
  options?: Partial<CaptureOptions>
  logger?: CaptureLogger
  /** every failure, as a coded error (for metrics or tests); called synchronously, must not throw */
  onError?: (err: SpecterError) => void
  /** after each successful store.record: batch size and duration */
  onWriteBatch?: (count: number, durationMs: number) => void
}

interface Pending {
  observation: Observation
  seq: number
}

interface Waiter {
  seq: number
  resolve: () => void
  reject: (err: unknown) => void
}

/**
 * Waiting exchanges that start observing at once rather than at the next flush. Fewer costs more
 * CPU per exchange (a slice per loop turn); a whole batch waits long enough for its exchanges,
 * bodies included, to outlive young-generation collections, and observes in one long burst
 * (measured: get-varied at max rate 160 µs a request and p99 5-7 ms, against 187 µs and 6 ms at 1
 * and 179 µs and 13-14 ms at the 500 of a batch).
 */
export const OBSERVE_AT = 64

const DECODE_ERRORS: ReadonlySet<string> = new Set([
  'decompression-limit',
  'decode-failed',
  'unsupported-encoding',
  'invalid-json',
  'invalid-utf8',
  'invalid-multipart',
  'too-deep',
])

// Errors thrown by observe are our bugs, not input, but their messages can quote input
// (a property name, a value): only the error's type and stack frames are logged.
function describe(err: unknown): { errType: string; stack?: string } {
  if (!(err instanceof Error)) return { errType: typeof err }
  const frames = (err.stack ?? '').split('\n').filter((l) => l.trimStart().startsWith('at '))
  return { errType: err.name, stack: frames.slice(0, 8).join('\n') }
}

// One log line a minute at most, whatever a hostile client sends: returns the failures since the
// last line when it is time for a new one, else 0.
function rateLimited(intervalMs = 60_000): () => number {
  let lastMs = Number.NEGATIVE_INFINITY
  let since = 0
  return () => {
    since++
    const now = Date.now()
    if (now - lastMs < intervalMs) return 0
    lastMs = now
    const n = since
    since = 0
    return n
  }
}

/** Creates the capture pipeline writing into `store`. The flush timer is unref'd. */
export function createCapture({ store, options, logger, onError, onWriteBatch }: CreateCaptureOptions): Capture {
  const o: CaptureOptions = { ...DEFAULT_CAPTURE_OPTIONS, ...options }
  const queueSize = Math.max(1, Math.floor(o.queueSize))
  const batchSize = Math.max(1, Math.floor(o.batchSize))
  const eagerAt = Math.min(batchSize, OBSERVE_AT)

  // Ring buffer: O(1) push and shift, memory fixed at queueSize slots.
  const ring: Array<Exchange | undefined> = new Array(queueSize)
  let head = 0
  let length = 0
  let queueBytes = 0
  // Accepted exchanges get consecutive sequence numbers; the queue head is headSeq.
  let headSeq = 1
  let nextSeq = 1

  const outbox: Pending[] = []
  const cache = new BodyCache()
  const waiters: Waiter[] = []
  const stats: CaptureStats = {
    submitted: 0,
    observationsWritten: 0,
    dropped: 0,
    droppedQueueFull: 0,
    droppedStoreDown: 0,
    droppedClosed: 0,
    tapErrors: 0,
    decodeFailures: 0,
    truncatedBodies: 0,
    queueDepth: 0,
    queueBytes: 0,
    pendingObservations: 0,
    storeErrors: 0,
    storeFailing: false,
  }
  let closed = false
  let scheduled = false
  let failureStreak = 0
  let lastError: SpecterError | undefined
  let retryAtMs = 0
  const observeLog = rateLimited()
  const tapLog = rateLimited()

  const report = (err: SpecterError): void => {
    try {
      onError?.(err)
    } catch {
      // A failing hook must not stop the pipeline.
    }
  }

  const copiedBytes = (e: Exchange): number => e.requestBody.copiedBytes + e.responseBody.copiedBytes

  const countBody = (b: BodySummary): void => {
    if (b.truncated) stats.truncatedBodies++
    if (b.error !== undefined && DECODE_ERRORS.has(b.error)) stats.decodeFailures++
  }

  const observeOne = (exchange: Exchange): Observation | undefined => {
    try {
      const obs = observeWith(exchange, o, cache)
      countBody(obs.requestBody)
      countBody(obs.responseBody)
      return obs
    } catch (err) {
      stats.tapErrors++
      const failures = observeLog()
      if (failures > 0) {
        logger?.warn(
          { code: 'SPECTER_ERR_INTERNAL', failures, ...describe(err) },
          'capture could not observe an exchange; it is recorded as invalid (further failures this minute are only counted)',
        )
      }
      report(new SpecterError('SPECTER_ERR_INTERNAL', 'capture could not observe an exchange', { cause: err }))
      return invalidObservation(exchange)
    }
  }

  const settle = (): void => {
    if (waiters.length === 0) return
    // Stages are FIFO and ordered (outbox before queue), so the oldest unsettled seq is at a front.
    const oldest = outbox.length > 0 ? (outbox[0] as Pending).seq : length > 0 ? headSeq : nextSeq
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i] as Waiter
      if (w.seq < oldest) {
        waiters.splice(i, 1)
        w.resolve()
      } else if (lastError !== undefined && w.seq < headSeq) {
        // Everything it waits for is observed, and the store refused it: report rather than hang.
        waiters.splice(i, 1)
        w.reject(lastError)
      }
    }
  }

  const write = (now: number): boolean => {
    const take = Math.min(outbox.length, batchSize)
    const batch: Observation[] = new Array(take)
    for (let i = 0; i < take; i++) batch[i] = (outbox[i] as Pending).observation
    const started = performance.now()
    try {
      store.record(batch)
    } catch (err) {
      stats.storeErrors++
      stats.storeFailing = true
      failureStreak++
      retryAtMs = now + Math.min(o.maxRetryIntervalMs, o.flushIntervalMs * 2 ** Math.min(failureStreak, 16))
      const error = new SpecterError(
        'SPECTER_ERR_STORE_UNAVAILABLE',
        `the store could not write ${take} observations; ${outbox.length} are kept in memory and retried`,
        { cause: err },
      )
      if (failureStreak === 1) {
        logger?.warn(
          { code: error.code, kept: outbox.length, err: err instanceof Error ? err.message : String(err) },
          'capture store write failed; observations are kept (bounded) and retried, traffic is unaffected',
        )
      }
      report(error)
      lastError = error
      return false
    }
    outbox.splice(0, take)
    lastError = undefined
    stats.observationsWritten += take
    if (failureStreak > 0) {
      logger?.info({ failures: failureStreak }, 'capture store writes recovered')
      failureStreak = 0
      stats.storeFailing = false
    }
    try {
      onWriteBatch?.(take, performance.now() - started)
    } catch {
      // Metrics hooks must not stop the pipeline.
    }
    return true
  }

  const canWrite = (now: number): boolean => failureStreak === 0 || waiters.length > 0 || now >= retryAtMs

  const retryBound = Math.max(o.retryBufferSize, batchSize)

  // Takes the oldest waiting exchange and observes it into the outbox. Beyond the retry bound
  // the exchange is dropped unobserved (the oldest observations carry first-seen times, and
  // observing what cannot be kept would only burn CPU during an outage).
  const observeNext = (): void => {
    const exchange = ring[head] as Exchange
    ring[head] = undefined
    head = head + 1 === queueSize ? 0 : head + 1
    length--
    queueBytes -= copiedBytes(exchange)
    const seq = headSeq++
    if (outbox.length >= retryBound) {
      stats.droppedStoreDown++
      stats.dropped++
      return
    }
    const observation = observeOne(exchange)
    if (observation !== undefined) outbox.push({ observation, seq })
  }

  // When the oldest observation waiting in the outbox was made; a partial batch is written once it
  // has waited flushIntervalMs (or someone drains), so that prompt observing keeps batches large.
  let outboxSinceMs = 0
  const partialDue = (now: number): boolean => waiters.length > 0 || closed || now - outboxSinceMs >= o.flushIntervalMs

  const run = (): void => {
    scheduled = false
    const sliceEnd = performance.now() + o.sliceMs
    for (;;) {
      if (outbox.length === 0 && length > 0) outboxSinceMs = Date.now()
      while (length > 0 && outbox.length < batchSize && performance.now() < sliceEnd) observeNext()
      if (outbox.length === 0) break
      // A partial batch is written only once the queue is empty, and not before it is due.
      if (outbox.length < batchSize && (length > 0 || !partialDue(Date.now()))) break
      if (!canWrite(Date.now()) || !write(Date.now())) break
      if (performance.now() >= sliceEnd) break
    }
    // While the store fails, keep turning exchanges into (much smaller) observations, up to the bound.
    // A failed write can use up the whole slice (it waits store.busyTimeoutMs for a lock), so this
    // gets a slice of its own, and exchanges beyond the bound are dropped without one (O(1) each):
    // otherwise a drain() waiter would retry the write forever and never see the queue empty.
    if (failureStreak > 0) {
      const observeEnd = performance.now() + o.sliceMs
      while (length > 0 && (outbox.length >= retryBound || performance.now() < observeEnd)) observeNext()
    }
    settle()
    // A partial batch not yet due waits for the flush timer (or a drain), without spinning the loop.
    const now = Date.now()
    if (length > 0 || (outbox.length > 0 && canWrite(now) && partialDue(now))) schedule()
  }

  const schedule = (): void => {
    if (scheduled) return
    scheduled = true
    setImmediate(run)
  }

  const timer = setInterval(
    () => {
      if (length > 0 || outbox.length > 0) schedule()
    },
    Math.max(1, o.flushIntervalMs),
  )
  timer.unref()

  const submit = (exchange: Exchange): void => {
    stats.submitted++
    if (closed) {
      stats.droppedClosed++
      stats.dropped++
      return
    }
    const bytes = copiedBytes(exchange)
    if (length >= queueSize || queueBytes + bytes > o.maxQueueBytes) {
      stats.droppedQueueFull++
      stats.dropped++
      return
    }
    let tail = head + length
    if (tail >= queueSize) tail -= queueSize
    ring[tail] = exchange
    length++
    queueBytes += bytes
    nextSeq++
    // Observed a few dozen at a time (or at the flush timer when traffic is light), see OBSERVE_AT.
    if (length >= eagerAt) schedule()
  }

  const drain = (): Promise<void> => {
    const seq = nextSeq - 1
    const oldest = outbox.length > 0 ? (outbox[0] as Pending).seq : length > 0 ? headSeq : nextSeq
    if (seq < oldest) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      waiters.push({ seq, resolve, reject })
      schedule()
    })
  }

  return {
    submit,
    drain,
    noteTapError: (err: unknown) => {
      stats.tapErrors++
      const failures = tapLog()
      if (failures > 0) {
        logger?.warn(
          { code: 'SPECTER_ERR_INTERNAL', failures, ...describe(err) },
          'capture tap failed; the exchange is not recorded (further failures this minute are only counted)',
        )
      }
      report(new SpecterError('SPECTER_ERR_INTERNAL', 'capture tap failed', { cause: err }))
    },
    close: async () => {
      if (!closed) {
        closed = true
        clearInterval(timer)
      }
      await drain()
    },
    stats: () => {
      stats.queueDepth = length
      stats.queueBytes = queueBytes
      stats.pendingObservations = outbox.length
      return { ...stats }
    },
  }
}

/** The observation of an exchange that observe could not handle: what is certain, bodies invalid. */
function invalidObservation(exchange: Exchange): Observation | undefined {
  try {
    const invalid = (bytes: number): BodySummary => ({
      kind: 'invalid',
      bytes,
      truncated: false,
      error: 'observe-failed',
    })
    return {
      timeMs: exchange.startMs,
      method: 'OTHER',
      host: '',
      pathKey: '/{str}',
      segmentValues: [],
      query: { n: 1, obj: { n: 1, props: Object.create(null) } },
      requestHeaders: { n: 1, obj: { n: 1, props: Object.create(null) } },
      responseHeaders: { n: 1, obj: { n: 1, props: Object.create(null) } },
      auth: [],
      requestContentType: '',
      requestBody: invalid(exchange.requestBody.totalBytes),
      status: exchange.status,
      outcome: exchange.outcome,
      responseContentType: '',
      responseBody: invalid(exchange.responseBody.totalBytes),
      durationMs: Math.max(0, exchange.endMs - exchange.startMs),
      clientKey: '',
    }
  } catch {
    return undefined
  }
}
