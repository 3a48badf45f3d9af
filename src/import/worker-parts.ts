// The calling thread's side of a parallel import: one worker thread per part of the file after
// the first (part-worker.ts). What a worker sends is held until every part before its own is
// known to end exactly where the next begins, then written with ParallelImport.apply in file
// order; skipped entries are renumbered as if one thread had read the whole file. Held deltas are
// bounded: a worker waits once too many of its bytes are unacknowledged.
import { existsSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { type ErrorCode, SpecterError } from '../errors.js'
import { decodeDelta } from '../pipeline/index.js'
import type { EndpointAgg, StoreLimits } from '../store/index.js'
import type { ConvertOptions } from './har-entry.js'
import type { PartAck, PartMessage, PartWorkerData, WorkerCaptureOptions } from './part-worker.js'
import { addCounts, emptyCounts, type ImportFormat, type PartCounts, type SkippedEntry } from './read-part.js'

export interface ParallelImport {
  /** worker threads besides the calling one; each reads a part of the file */
  workers: number
  /** the capture settings of the workers' pipelines (as `specter import` sets up its own) */
  capture: WorkerCaptureOptions
  /** the target store's limits (Store.limits): the workers aggregate with them */
  limits: StoreLimits
  /** writes a batch of aggregates into the target store (Store.apply) */
  apply: (aggs: EndpointAgg[]) => void
  /** smaller files are read by the calling thread alone (default PARALLEL_MIN_BYTES, 32 MiB) */
  minBytes?: number
}

export interface WorkerPartsOptions {
  file: string
  size: number
  format: ImportFormat
  /** where parts 2..n start */
  points: number[]
  convert: ConvertOptions
  maxEntryBytes: number
  drainEvery: number
  drainEveryBytes: number
  parallel: ParallelImport
}

/** What the workers' parts gave, together. */
export interface WorkersRead {
  counts: PartCounts
  /** exchanges their capture pipelines dropped */
  dropped: number
  /** parts that count (fewer than started when one had to read on to the end of the file) */
  parts: number
  /** bytes of the file those parts read */
  bytesRead: number
}

export interface WorkerParts {
  /** what the workers have read so far, for the progress line */
  progress: () => { bytesRead: number; entries: number; imported: number; skipped: number }
  /**
   * Call once the first part ended between two entries (`firstSeen` entries or lines in it):
   * writes the workers' parts in order and returns what they read, skipped entries numbered as in
   * the whole file. Throws the first worker's error after writing what it read before it.
   */
  finish: (firstSeen: number, onSkip?: (s: SkippedEntry) => void) => Promise<WorkersRead>
  /** stops every worker; what they sent and was not written is dropped */
  abandon: () => Promise<void>
}

/** A worker may have this many bytes of deltas waiting to be written before it pauses. */
const MAX_UNACKED_BYTES = 64 * 1024 * 1024
/** Deltas are refused beyond this size inflated (they are bounded by the store's caps long before). */
const MAX_INFLATED_BYTES = 512 * 1024 * 1024

/** The compiled worker next to this module (or, when running from the TypeScript sources, in dist/). */
function workerScript(): URL {
  const here = new URL('./part-worker.js', import.meta.url)
  return existsSync(here) ? here : new URL('../../dist/src/import/part-worker.js', import.meta.url)
}

interface Part {
  worker: Worker
  held: Uint8Array[]
  /** deltas are written as they come (every part before this one checked) */
  live: boolean
  progress: { bytesRead: number; entries: number; imported: number; skipped: number }
  done: Promise<Extract<PartMessage, { kind: 'done' }>>
  where: string
}

export function startWorkerParts(o: WorkerPartsOptions): WorkerParts {
  const { limits, apply } = o.parallel
  const write = (part: Part, body: Uint8Array): void => {
    const delta = decodeDelta(body, part.where, {
      segmentSampleSize: limits.segmentSampleSize,
      maxInflatedBytes: MAX_INFLATED_BYTES,
    })
    apply(delta.endpoints)
    part.worker.postMessage({ kind: 'ack', bytes: body.byteLength } satisfies PartAck)
  }
  let failure: unknown
  const parts: Part[] = o.points.map((start, i) => {
    const end = o.points[i + 1]
    const data: PartWorkerData = {
      file: o.file,
      format: o.format,
      start,
      end,
      convert: o.convert,
      maxEntryBytes: o.maxEntryBytes,
      drainEvery: o.drainEvery,
      drainEveryBytes: o.drainEveryBytes,
      capture: o.parallel.capture,
      limits,
      maxUnackedBytes: MAX_UNACKED_BYTES,
    }
    const worker = new Worker(workerScript(), { workerData: data })
    const part: Part = {
      worker,
      held: [],
      live: false,
      progress: { bytesRead: 0, entries: 0, imported: 0, skipped: 0 },
      where: `${o.file} (part from byte ${start})`,
      done: new Promise((resolve, reject) => {
        worker.on('message', (msg: PartMessage) => {
          if (msg.kind === 'progress') part.progress = msg
          else if (msg.kind === 'done') resolve(msg)
          else if (part.live) {
            try {
              write(part, msg.body)
            } catch (err) {
              failure ??= err
            }
          } else part.held.push(msg.body)
        })
        worker.on('error', (err) =>
          reject(
            new SpecterError('SPECTER_ERR_INTERNAL', `an import worker failed reading ${part.where}`, { cause: err }),
          ),
        )
        worker.on('exit', (code) =>
          reject(
            new SpecterError('SPECTER_ERR_INTERNAL', `an import worker stopped (exit ${code}) reading ${part.where}`),
          ),
        )
      }),
    }
    // Rejections are awaited in finish(); an abandoned part's are of no interest.
    part.done.catch(() => {})
    return part
  })

  const abandon = async (): Promise<void> => {
    await Promise.all(parts.map((p) => p.worker.terminate()))
  }

  return {
    progress: () => {
      const sum = { bytesRead: 0, entries: 0, imported: 0, skipped: 0 }
      for (const p of parts) {
        sum.bytesRead += p.progress.bytesRead
        sum.entries += p.progress.entries
        sum.imported += p.progress.imported
        sum.skipped += p.progress.skipped
      }
      return sum
    },
    abandon,
    finish: async (firstSeen, onSkip) => {
      const read: WorkersRead = { counts: emptyCounts(), dropped: 0, parts: 0, bytesRead: 0 }
      let base = firstSeen
      try {
        for (const part of parts) {
          part.live = true
          for (const body of part.held.splice(0)) write(part, body)
          const done = await part.done
          if (failure !== undefined) throw failure
          const skipped = done.counts.skippedEntries.map((s) => ({ ...s, at: s.at + base }))
          addCounts(read.counts, { ...done.counts, skippedEntries: skipped })
          for (const s of skipped) onSkip?.(s)
          read.dropped += done.dropped
          read.bytesRead += part.progress.bytesRead
          read.parts++
          base += done.seen
          if (done.error !== undefined) throw new SpecterError(done.error.code as ErrorCode, done.error.message)
          // This part read on to the end of the file: the parts after it would be read twice.
          if (!done.endedClean) break
        }
      } finally {
        await abandon()
      }
      return read
    },
  }
}
