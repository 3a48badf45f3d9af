// Reads one part of an import file (the whole file, or a byte range another thread does not
// read) into a capture sink: entries or lines are parsed, converted to exchanges and submitted,
// with a drain every so many, so that memory stays bounded by what is in flight.
import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import type { CaptureSink, Exchange } from '../capture/index.js'
import { EntryScanner } from './entry-scanner.js'
import { type ConvertOptions, EntryProblem, harEntryToExchange } from './har-entry.js'
import { type Parsed, parseJson } from './json-text.js'
import { LineSplitter } from './line-splitter.js'
import { ndjsonRecordToExchange } from './ndjson-record.js'

export type ImportFormat = 'har' | 'ndjson'

export interface SkippedEntry {
  /** HAR: 0-based index in log.entries; NDJSON: 1-based line number */
  at: number
  kind: 'entry' | 'line'
  reason: string
}

/** At most this many skipped entries are kept with their reasons (the rest are counted). */
export const MAX_KEPT_SKIPS = 1000

/** What one part of a file gave. */
export interface PartCounts {
  /** entries (HAR) or non-blank lines (NDJSON) found */
  entries: number
  imported: number
  skipped: number
  skippedEntries: SkippedEntry[]
}

export const emptyCounts = (): PartCounts => ({ entries: 0, imported: 0, skipped: 0, skippedEntries: [] })

/** Adds the counts of a later part of the file (skipped entries kept in file order, up to the cap). */
export function addCounts(into: PartCounts, later: PartCounts): void {
  into.entries += later.entries
  into.imported += later.imported
  into.skipped += later.skipped
  for (const s of later.skippedEntries) if (into.skippedEntries.length < MAX_KEPT_SKIPS) into.skippedEntries.push(s)
}

/** A HAR scanner or an NDJSON line splitter behind one interface. */
export interface Feeder {
  push: (chunk: Buffer) => Array<{ at: number; parsed: Parsed }>
  end: () => Array<{ at: number; parsed: Parsed }>
  /** entries (HAR) or lines, blank ones included (NDJSON), started so far */
  seen: () => number
  /** whether the bytes so far end exactly between two entries or lines */
  betweenEntries: () => boolean
}

export interface FeederOptions {
  format: ImportFormat
  source: string
  maxEntryBytes: number
  /** the part starts at this byte of the file, at an entry or a line (undefined: the file's start) */
  resumeAt?: number
}

export function createFeeder(o: FeederOptions): Feeder {
  if (o.format === 'har') {
    const scanner = new EntryScanner({
      source: o.source,
      maxEntryBytes: o.maxEntryBytes,
      ...(o.resumeAt === undefined ? {} : { resumeAt: o.resumeAt }),
    })
    const items = (entries: ReturnType<EntryScanner['push']>) =>
      entries.map((e) => ({ at: e.index, parsed: 'value' in e ? { value: e.value } : { problem: e.problem } }))
    return {
      push: (chunk) => items(scanner.push(chunk)),
      end: () => items(scanner.end()),
      seen: () => scanner.entriesSeen,
      betweenEntries: () => scanner.betweenEntries,
    }
  }
  const lines = new LineSplitter(o.maxEntryBytes)
  const items = (split: ReturnType<LineSplitter['push']>) =>
    split.map((l) => ({ at: l.line, parsed: 'bytes' in l ? parseJson(l.bytes) : { problem: l.problem } }))
  let pending = false
  return {
    push: (chunk) => {
      if (chunk.length > 0) pending = chunk[chunk.length - 1] !== 0x0a
      return items(lines.push(chunk))
    },
    end: () => items(lines.end()),
    seen: () => lines.linesSeen,
    betweenEntries: () => !pending,
  }
}

export interface PartOptions {
  format: ImportFormat
  sink: CaptureSink
  convert: ConvertOptions
  /** exchanges and body bytes submitted between two drains */
  drainEvery: number
  drainEveryBytes: number
  onSkip?: (skipped: SkippedEntry) => void
}

/** Feeds chunks through a feeder into the sink, counting what it finds. */
export class PartReader {
  readonly counts: PartCounts = emptyCounts()
  readonly #o: PartOptions
  readonly #kind: 'entry' | 'line'
  #pending = 0
  #pendingBytes = 0

  constructor(options: PartOptions) {
    this.#o = options
    this.#kind = options.format === 'har' ? 'entry' : 'line'
  }

  /** Converts and submits the items of one chunk, draining the sink whenever enough is in flight. */
  async take(items: Array<{ at: number; parsed: Parsed }>): Promise<void> {
    for (const item of items) {
      this.#takeOne(item.at, item.parsed)
      if (this.#pending >= this.#o.drainEvery || this.#pendingBytes >= this.#o.drainEveryBytes) await this.drain()
    }
  }

  async drain(): Promise<void> {
    await this.#o.sink.drain()
    this.#pending = 0
    this.#pendingBytes = 0
  }

  #skip(at: number, reason: string): void {
    const c = this.counts
    c.skipped++
    const s: SkippedEntry = { at, kind: this.#kind, reason }
    if (c.skippedEntries.length < MAX_KEPT_SKIPS) c.skippedEntries.push(s)
    this.#o.onSkip?.(s)
  }

  #takeOne(at: number, entry: Parsed): void {
    this.counts.entries++
    if (!('value' in entry)) {
      this.#skip(at, entry.problem)
      return
    }
    let exchange: Exchange
    try {
      exchange =
        this.#o.format === 'har'
          ? harEntryToExchange(entry.value, this.#o.convert)
          : ndjsonRecordToExchange(entry.value, this.#o.convert)
    } catch (err) {
      if (!(err instanceof EntryProblem)) throw err
      this.#skip(at, err.message)
      return
    }
    this.#o.sink.submit(exchange)
    this.counts.imported++
    this.#pending++
    this.#pendingBytes += exchange.requestBody.copiedBytes + exchange.responseBody.copiedBytes
  }
}

/** Bytes read from the file at a time. */
export const CHUNK_BYTES = 1024 * 1024

export interface RangeOptions {
  file: string
  /** [start, end) of the file; end undefined: to its end */
  start: number
  end: number | undefined
  /** gunzip what is read (a .gz file, read whole) */
  gzip?: boolean
  feeder: Feeder
  reader: PartReader
  /** the range ends the file: what the feeder still holds is handed out (a truncated entry) */
  last: boolean
  /** bytes read from the file (compressed bytes for gzip) */
  onBytes: (n: number) => void
  /** after each chunk's entries are taken */
  onChunk?: () => void
}

/** Streams a range of the file through the feeder into the reader. Throws what the feeder or the file throws. */
export async function readRange(o: RangeOptions): Promise<void> {
  const raw = createReadStream(o.file, {
    highWaterMark: CHUNK_BYTES,
    start: o.start,
    ...(o.end === undefined ? {} : { end: o.end - 1 }),
  })
  raw.on('data', (chunk) => o.onBytes(chunk.length))
  let input: Readable = raw
  if (o.gzip === true) {
    const gunzip = createGunzip()
    raw.on('error', (err) => gunzip.destroy(err))
    input = raw.pipe(gunzip)
  }
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      await o.reader.take(o.feeder.push(chunk))
      o.onChunk?.()
    }
    if (o.last) await o.reader.take(o.feeder.end())
  } finally {
    raw.destroy()
  }
}
