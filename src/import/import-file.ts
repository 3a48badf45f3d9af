// `specter import`: streams a HAR 1.2 file (optionally gzipped) or an NDJSON exchange log into
// the capture pipeline, entry by entry, with memory bounded by the largest entry. Broken
// entries are reported with their index (or line number) and skipped; the rest is imported.
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import type { CaptureSink, Exchange } from '../capture/index.js'
import { harInvalid, SpecterError } from '../errors.js'
import { EntryScanner } from './entry-scanner.js'
import { type ConvertOptions, EntryProblem, harEntryToExchange } from './har-entry.js'
import { type Parsed, parseJson } from './json-text.js'
import { LineSplitter } from './line-splitter.js'
import { ndjsonRecordToExchange } from './ndjson-record.js'

export type ImportFormat = 'har' | 'ndjson'

export interface ImportProgress {
  /** bytes of the file read so far (compressed bytes for .gz files) */
  bytesRead: number
  totalBytes: number
  entries: number
  imported: number
  skipped: number
}

export interface SkippedEntry {
  /** HAR: 0-based index in log.entries; NDJSON: 1-based line number */
  at: number
  kind: 'entry' | 'line'
  reason: string
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
}

const MAX_KEPT_SKIPS = 1000
const CHUNK_BYTES = 1024 * 1024
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

  const result: ImportResult = {
    file,
    format,
    entries: 0,
    imported: 0,
    skipped: 0,
    skippedEntries: [],
    bytes: size,
    durationMs: 0,
  }
  let bytesRead = 0
  let pending = 0
  let pendingBytes = 0
  const kind = format === 'har' ? 'entry' : 'line'

  const skip = (at: number, reason: string): void => {
    result.skipped++
    const s: SkippedEntry = { at, kind, reason }
    if (result.skippedEntries.length < MAX_KEPT_SKIPS) result.skippedEntries.push(s)
    options.onSkip?.(s)
  }
  const take = (at: number, entry: Parsed): void => {
    result.entries++
    if (!('value' in entry)) {
      skip(at, entry.problem)
      return
    }
    let exchange: Exchange
    try {
      exchange =
        format === 'har' ? harEntryToExchange(entry.value, convert) : ndjsonRecordToExchange(entry.value, convert)
    } catch (err) {
      if (!(err instanceof EntryProblem)) throw err
      skip(at, err.message)
      return
    }
    sink.submit(exchange)
    result.imported++
    pending++
    pendingBytes += exchange.requestBody.copiedBytes + exchange.responseBody.copiedBytes
  }
  const drainDue = (): boolean => pending >= drainEvery || pendingBytes >= drainEveryBytes
  const drain = async (): Promise<void> => {
    await sink.drain()
    pending = 0
    pendingBytes = 0
  }
  const report = (): void =>
    options.onProgress?.({
      bytesRead,
      totalBytes: size,
      entries: result.entries,
      imported: result.imported,
      skipped: result.skipped,
    })

  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES })
  raw.on('data', (chunk) => {
    bytesRead += chunk.length
  })
  let input: Readable = raw
  if (gzip) {
    const gunzip = createGunzip()
    raw.on('error', (err) => gunzip.destroy(err))
    input = raw.pipe(gunzip)
  }
  const scanner = format === 'har' ? new EntryScanner({ source: file, maxEntryBytes }) : undefined
  const lines = format === 'ndjson' ? new LineSplitter(maxEntryBytes) : undefined
  const scanned = async (entries: ReturnType<EntryScanner['push']>): Promise<void> => {
    for (const e of entries) {
      take(e.index, e)
      if (drainDue()) await drain()
    }
  }
  const split = async (items: ReturnType<LineSplitter['push']>): Promise<void> => {
    for (const l of items) {
      take(l.line, 'bytes' in l ? parseJson(l.bytes) : l)
      if (drainDue()) await drain()
    }
  }

  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      if (scanner !== undefined) await scanned(scanner.push(chunk))
      else if (lines !== undefined) await split(lines.push(chunk))
      report()
    }
    if (scanner !== undefined) await scanned(scanner.end())
    else if (lines !== undefined) await split(lines.end())
  } catch (err) {
    // Whatever was read before the damage is kept: written before the error surfaces.
    await sink.drain()
    if (err instanceof SpecterError) throw err
    throw harInvalid(file, gzip ? 'it could not be read or decompressed' : 'it could not be read', err)
  } finally {
    raw.destroy()
  }
  await sink.drain()
  report()
  result.durationMs = Date.now() - started
  return result
}
