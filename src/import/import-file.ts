// `specter import`: streams a HAR 1.2 file (optionally gzipped) or an NDJSON exchange log into
// the capture pipeline, entry by entry, with memory bounded by the largest entry. Broken
// entries are reported with their index (or line number) and skipped; the rest is imported.
import { open, stat } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import type { CaptureSink } from '../capture/index.js'
import { harInvalid, SpecterError } from '../errors.js'
import type { ConvertOptions } from './har-entry.js'
import {
  addCounts,
  createFeeder,
  emptyCounts,
  type ImportFormat,
  PartReader,
  readRange,
  type SkippedEntry,
} from './read-part.js'
import { splitPoints } from './split-file.js'
import { type ParallelImport, startWorkerParts, type WorkerParts, type WorkersRead } from './worker-parts.js'

export type { ImportFormat, SkippedEntry } from './read-part.js'

export interface ImportProgress {
  /** bytes of the file read so far (compressed bytes for .gz files) */
  bytesRead: number
  totalBytes: number
  entries: number
  imported: number
  skipped: number
}

export interface ImportResult {
  file: string
  format: ImportFormat
  /** entries (HAR) or non-blank lines (NDJSON) found */
  entries: number
  imported: number
  skipped: number
  /** the first skipped entries, with their reasons (at most 1000 kept) */
  skippedEntries: SkippedEntry[]
  bytes: number
  durationMs: number
  /** threads that imported a part of the file besides the calling one */
  workers: number
  /** exchanges the workers' capture pipelines could not observe or keep (the caller's own are in its capture's stats) */
  workerDropped: number
}

export interface ImportOptions {
  file: string
  /** the capture pipeline (createCapture with a store); every exchange goes through it */
  sink: CaptureSink
  /** default: from the extension (.har, .ndjson, .jsonl), else from the first line */
  format?: ImportFormat | 'auto'
  /** the capture's body copy limit (default 1 MiB, as capture.maxBodyBytes) */
  maxBodyBytes?: number
  /** larger entries or lines are skipped (default 64 MiB) */
  maxEntryBytes?: number
  /** start time for entries without one (default: now) */
  nowMs?: number
  /** exchanges and body bytes submitted between two drains, kept under the capture's queue limits */
  drainEvery?: number
  drainEveryBytes?: number
  onProgress?: (progress: ImportProgress) => void
  onSkip?: (skipped: SkippedEntry) => void
  /**
   * Import parts of a large uncompressed file in worker threads as well (their aggregates are
   * written with `apply`, exactly as the sink's own batches would be). Without it, or when the
   * file cannot be cut, one thread reads it all.
   */
  parallel?: ParallelImport
}

/** Smaller files are read by one thread: starting workers would cost more than they save. */
export const PARALLEL_MIN_BYTES = 32 * 1024 * 1024
const DRAIN_EVERY = 2000
const DRAIN_EVERY_BYTES = 16 * 1024 * 1024

/**
 * The capture's queue settings for an import: the importer submits DRAIN_EVERY exchanges between
 * drains, and each drain is written in one store transaction. At the live default of 500 a
 * batch, writing (reading back and merging the same aggregate rows) is ~45% of the store's time.
 * The queue limits are kept above what the importer submits between drains, so none is dropped.
 */
export function importCaptureOptions(configured: { batchSize: number; queueSize: number; maxQueueBytes: number }): {
  batchSize: number
  queueSize: number
  maxQueueBytes: number
} {
  return {
    batchSize: Math.max(configured.batchSize, DRAIN_EVERY),
    queueSize: Math.max(configured.queueSize, 2 * DRAIN_EVERY),
    maxQueueBytes: Math.max(configured.maxQueueBytes, 2 * DRAIN_EVERY_BYTES),
  }
}

async function sniff(file: string): Promise<{ gzip: boolean; head: Buffer }> {
  const handle = await open(file, 'r')
  try {
    const head = Buffer.alloc(64 * 1024)
    const { bytesRead } = await handle.read(head, 0, head.length, 0)
    const bytes = head.subarray(0, bytesRead)
    return { gzip: bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b, head: bytes }
  } finally {
    await handle.close()
  }
}

/** NDJSON when the first non-blank line is a whole JSON object with a method and a url. */
function looksLikeNdjson(head: Buffer): boolean {
  const text = head.toString('utf8').replace(/^\uFEFF/, '')
  const lines = text.split('\n')
  if (lines.length < 2) return false
  const first = lines.find((l) => l.trim() !== '')
  if (first === undefined) return false
  try {
    const value: unknown = JSON.parse(first)
    return typeof value === 'object' && value !== null && 'method' in value && 'url' in value
  } catch {
    return false
  }
}

function formatOf(file: string, requested: ImportFormat | 'auto', head: Buffer, gzip: boolean): ImportFormat {
  if (requested !== 'auto') return requested
  const name = gzip && file.endsWith('.gz') ? file.slice(0, -3) : file
  const ext = extname(name).toLowerCase()
  if (ext === '.har') return 'har'
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson'
  return !gzip && looksLikeNdjson(head) ? 'ndjson' : 'har'
}

/** Imports one file through the capture pipeline and resolves once everything is written. */
export async function importFile(options: ImportOptions): Promise<ImportResult> {
  const started = Date.now()
  const { file, sink } = options
  let size: number
  try {
    const info = await stat(file)
    if (!info.isFile()) throw new Error('not a regular file')
    size = info.size
  } catch (cause) {
    throw new SpecterError(
      'SPECTER_ERR_USAGE',
      `cannot read ${file}: ${cause instanceof Error ? cause.message : String(cause)}; check the path`,
      { cause },
    )
  }
  const { gzip, head } = await sniff(file)
  if (size === 0) throw harInvalid(file, 'the file is empty')
  const format = formatOf(file, options.format ?? 'auto', head, gzip)
  const convert: ConvertOptions = {
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    fallbackTimeMs: options.nowMs ?? Date.now(),
    clientAddress: `import:${basename(file).slice(0, 64)}`,
  }
  const maxEntryBytes = options.maxEntryBytes ?? 64 * 1024 * 1024
  const drainEvery = options.drainEvery ?? DRAIN_EVERY
  const drainEveryBytes = options.drainEveryBytes ?? DRAIN_EVERY_BYTES

  const parallel = options.parallel
  const points =
    parallel !== undefined && parallel.workers > 0 && !gzip && size >= (parallel.minBytes ?? PARALLEL_MIN_BYTES)
      ? await splitPoints({ file, size, format, parts: parallel.workers + 1 })
      : []
  const partOptions = {
    format,
    convert,
    drainEvery,
    drainEveryBytes,
    maxEntryBytes,
  }
  const workers: WorkerParts | undefined =
    parallel !== undefined && points.length > 0
      ? startWorkerParts({ ...partOptions, file, size, points, parallel })
      : undefined

  let bytesRead = 0
  const reader = new PartReader({
    ...partOptions,
    sink,
    ...(options.onSkip === undefined ? {} : { onSkip: options.onSkip }),
  })
  const emit = (bytes: number, c: { entries: number; imported: number; skipped: number }): void =>
    options.onProgress?.({
      bytesRead: bytes,
      totalBytes: size,
      entries: c.entries,
      imported: c.imported,
      skipped: c.skipped,
    })
  // While reading: this thread's part plus what the workers report, as long as their parts count.
  let reading: WorkerParts | undefined = workers
  const report = (): void => {
    const others = reading?.progress()
    const c = reader.counts
    emit(bytesRead + (others?.bytesRead ?? 0), {
      entries: c.entries + (others?.entries ?? 0),
      imported: c.imported + (others?.imported ?? 0),
      skipped: c.skipped + (others?.skipped ?? 0),
    })
  }
  const feeder = createFeeder({ format, source: file, maxEntryBytes })
  /** Reads [start, end) (end undefined: to the end of the file) through the feeder. */
  const read = async (start: number, end: number | undefined, last: boolean): Promise<void> => {
    try {
      await readRange({
        file,
        start,
        end,
        gzip,
        feeder,
        reader,
        last,
        onBytes: (n) => {
          bytesRead += n
        },
        onChunk: report,
      })
    } catch (err) {
      // Whatever was read before the damage is kept: written before the error surfaces.
      await sink.drain()
      if (err instanceof SpecterError) throw err
      throw harInvalid(file, gzip ? 'it could not be read or decompressed' : 'it could not be read', err)
    }
  }

  let others: WorkersRead | undefined
  try {
    const first = points[0]
    await read(0, first, first === undefined)
    if (first !== undefined && workers !== undefined) {
      await reader.drain()
      if (feeder.betweenEntries()) {
        // The first part ended exactly where the workers' parts begin: theirs count.
        others = await workers.finish(feeder.seen(), options.onSkip)
      } else {
        // Not laid out as the cut assumed: this thread reads on to the end, the workers' parts are dropped.
        await workers.abandon()
        reading = undefined
        await read(first, undefined, true)
      }
    }
  } catch (err) {
    await workers?.abandon()
    throw err
  }
  await reader.drain()
  // The parts' counts in file order: this thread's first.
  const counts = emptyCounts()
  addCounts(counts, reader.counts)
  if (others !== undefined) addCounts(counts, others.counts)
  emit(bytesRead + (others?.bytesRead ?? 0), counts)
  return {
    file,
    format,
    ...counts,
    bytes: size,
    durationMs: Date.now() - started,
    workers: others?.parts ?? 0,
    workerDropped: others?.dropped ?? 0,
  }
}
