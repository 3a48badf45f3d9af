// A worker thread that imports one part of a file: the same reading, conversion and capture as
// the calling thread, into a store stand-in that aggregates each batch (Store.aggregate) and posts
// it as a delta, the scale-out pipeline's exact unit of merge (src/pipeline/delta.ts). The calling
// thread writes the deltas into the real store once it has checked that this part starts where
// the part before it ended (worker-parts.ts). A part other than the last one that does not end
// exactly between two entries reads on to the end of the file, and says so.
import { parentPort, workerData } from 'node:worker_threads'
import { createCapture } from '../capture/index.js'
import { SpecterError } from '../errors.js'
import { encodeDeltas } from '../pipeline/index.js'
import { classifyValue } from '../security/index.js'
import { aggregateObservations, type StoreLimits } from '../store/index.js'
import type { ConvertOptions } from './har-entry.js'
import { createFeeder, type ImportFormat, type PartCounts, PartReader, readRange } from './read-part.js'

export interface PartWorkerData {
  file: string
  format: ImportFormat
  /** the part: [start, end) of the file; end undefined for the last part */
  start: number
  end: number | undefined
  convert: ConvertOptions
  maxEntryBytes: number
  drainEvery: number
  drainEveryBytes: number
  /** the capture's settings as data (no functions cross threads) */
  capture: WorkerCaptureOptions
  limits: StoreLimits
  /** posted deltas not yet acknowledged beyond this many bytes make the worker wait */
  maxUnackedBytes: number
}

/** What the workers' capture pipelines take from `specter import`'s: the store's salt and the limits. */
export interface WorkerCaptureOptions {
  clientKeySalt: Uint8Array
  maxDecodedBytes?: number
  batchSize: number
  queueSize: number
  maxQueueBytes: number
  flushIntervalMs?: number
}

export type PartMessage =
  | { kind: 'delta'; body: Uint8Array }
  | { kind: 'progress'; bytesRead: number; entries: number; imported: number; skipped: number }
  | {
      kind: 'done'
      counts: PartCounts
      /** entries (HAR) or lines (NDJSON) started in this part */
      seen: number
      /** false: the part did not end between two entries, so this worker read on to the end of the file */
      endedClean: boolean
      dropped: number
      error?: { code: string; message: string }
    }

/** The calling thread's acknowledgement of delta bytes written. */
export type PartAck = { kind: 'ack'; bytes: number }

/** Deltas are cut at this many bytes of JSON (an endpoint is never split). */
const DELTA_BYTES = 16 * 1024 * 1024

async function run(data: PartWorkerData, port: NonNullable<typeof parentPort>): Promise<void> {
  let unacked = 0
  let wake: (() => void) | undefined
  const onAck = (msg: PartAck): void => {
    if (msg.kind !== 'ack') return
    unacked -= msg.bytes
    if (unacked <= data.maxUnackedBytes) wake?.()
  }
  port.on('message', onAck)
  const post = (message: PartMessage) => port.postMessage(message)

  // Examples are kept per (status, method, path key) up to the store's count; past it the capture
  // need not build them (the store keeps the earliest ones whichever thread saw them).
  const examples = new Map<string, number>()
  const wantExample = (method: string, pathKey: string, status: number): boolean => {
    const key = `${status} ${method} ${pathKey}`
    const n = examples.get(key) ?? 0
    if (n >= data.limits.examplesPerStatus) return false
    if (examples.size >= 10_000) examples.clear()
    examples.set(key, n + 1)
    return true
  }
  const pendingDeltas: Uint8Array[] = []
  let seq = 0
  const capture = createCapture({
    store: {
      record: (observations) => {
        const aggs = aggregateObservations(observations, data.limits)
        for (const encode of encodeDeltas(aggs, { instanceId: `import:${data.start}`, createdMs: 0 }, DELTA_BYTES)) {
          pendingDeltas.push(encode(++seq))
        }
      },
    },
    options: {
      ...data.capture,
      clientKeySalt: Buffer.from(data.capture.clientKeySalt),
      wantExample,
      classify: classifyValue,
    },
  })
  // Posts what the capture wrote since the last call, then waits while too much is unacknowledged.
  const flush = async (): Promise<void> => {
    for (const body of pendingDeltas.splice(0)) {
      unacked += body.byteLength
      // Copied, not transferred: a deflated delta may be a view into a larger buffer zlib (or a
      // pool) still uses, and the copy is a few kilobytes per 2,000 entries.
      post({ kind: 'delta', body })
    }
    while (unacked > data.maxUnackedBytes) await new Promise<void>((resolve) => (wake = resolve))
  }
  const sink = {
    submit: capture.submit,
    drain: async () => {
      await capture.drain()
      await flush()
    },
  }
  const reader = new PartReader({
    format: data.format,
    sink,
    convert: data.convert,
    drainEvery: data.drainEvery,
    drainEveryBytes: data.drainEveryBytes,
  })
  const feeder = createFeeder({
    format: data.format,
    source: data.file,
    maxEntryBytes: data.maxEntryBytes,
    resumeAt: data.start,
  })
  let bytesRead = 0
  const read = (start: number, end: number | undefined, last: boolean): Promise<void> =>
    readRange({
      file: data.file,
      start,
      end,
      feeder,
      reader,
      last,
      onBytes: (n) => {
        bytesRead += n
      },
      onChunk: () => {
        const c = reader.counts
        post({ kind: 'progress', bytesRead, entries: c.entries, imported: c.imported, skipped: c.skipped })
      },
    })

  let endedClean = true
  let error: { code: string; message: string } | undefined
  try {
    await read(data.start, data.end, data.end === undefined)
    if (data.end !== undefined && !feeder.betweenEntries()) {
      endedClean = false
      await read(data.end, undefined, true)
    }
  } catch (err) {
    error =
      err instanceof SpecterError
        ? { code: err.code, message: err.message }
        : {
            code: 'SPECTER_ERR_HAR_INVALID',
            message: `${data.file} could not be read: ${err instanceof Error ? err.message : String(err)}`,
          }
  }
  await sink.drain()
  await capture.close()
  await flush()
  const seen = feeder.seen()
  post({
    kind: 'done',
    counts: reader.counts,
    seen,
    endedClean,
    dropped: capture.stats().dropped,
    ...(error === undefined ? {} : { error }),
  })
  // Nothing more to wait for: the thread ends once the port has no listener.
  port.off('message', onAck)
}

// A throw here is a bug, not input: it ends the thread, and the calling thread reports it.
if (parentPort !== null) void run(workerData as PartWorkerData, parentPort)
