// Where a large uncompressed file can be cut into parts that threads import side by side.
// NDJSON: after a newline. HAR: just before an entry, found by the bytes that sit between two
// entries in this file (learned from its first entry, see EntryScanner.entryBoundary). A raw
// newline never occurs inside a JSON string, so in an indented file a line holding only `{` at
// the entries' indentation starts an element of an array at the entries' depth; a candidate is
// taken only when that element parses as an entry (it has a request object), which rules out the
// other arrays there (log.pages). The part before each cut is read by a thread that checks, when
// it gets there, that it stopped exactly between two entries (see worker-ranges.ts).
import { type FileHandle, open } from 'node:fs/promises'
import { EntryScanner } from './entry-scanner.js'
import type { ImportFormat } from './import-file.js'

/** How far past a target offset a cut is looked for; the entry there must end within as many bytes again. */
const SEARCH_BYTES = 8 * 1024 * 1024
/** How much of the file's start is read to learn the layout of its entries. */
const HEAD_BYTES = 1024 * 1024

export interface SplitOptions {
  file: string
  size: number
  format: ImportFormat
  /** how many parts are wanted (the result may have fewer) */
  parts: number
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length)
  const { bytesRead } = await handle.read(buffer, 0, length, position)
  return buffer.subarray(0, bytesRead)
}

/** The bytes between two entries of a HAR file laid out on lines, from its first entries. */
function harBoundary(head: Buffer, file: string): Buffer | undefined {
  const scanner = new EntryScanner({ source: file })
  // In slices, so that the layout is taken from the first entries (the last one has no comma after it).
  const slice = 64 * 1024
  try {
    for (let at = 0; at < head.length; at += slice) {
      scanner.push(head.subarray(at, at + slice))
      const boundary = scanner.entryBoundary()
      if (boundary !== undefined) return boundary
    }
  } catch {
    // Not a HAR laid out on lines: not cut.
  }
  return undefined
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Whether the element starting with the `{` at `start` of `window` is a whole HAR entry. It ends
 * at the first closing brace at the same indentation (`close` is `\n` + indent + `}`).
 */
function entryAt(window: Buffer, start: number, close: Buffer): boolean {
  const end = window.indexOf(close, start)
  if (end === -1) return false
  try {
    const value: unknown = JSON.parse(window.toString('utf8', start, end + close.length))
    return isObject(value) && isObject(value['request'])
  } catch {
    return false
  }
}

/**
 * Offsets, increasing, at which parts 2..n of the file start; empty when the file cannot be cut
 * (a HAR file on one line, entries larger than the search window, a small file).
 */
export async function splitPoints(options: SplitOptions): Promise<number[]> {
  const { file, size, format, parts } = options
  if (parts < 2 || size < parts) return []
  const handle = await open(file, 'r')
  try {
    let boundary: Buffer | undefined
    let close: Buffer | undefined
    if (format === 'har') {
      boundary = harBoundary(await readAt(handle, 0, Math.min(size, HEAD_BYTES)), file)
      if (boundary === undefined) return []
      // `\n` + indent + `}`: the boundary up to its closing brace.
      close = boundary.subarray(0, boundary.indexOf(0x7d) + 1)
    }
    const points: number[] = []
    let previous = 0
    for (let k = 1; k < parts; k++) {
      const target = Math.max(previous + 1, Math.floor((size * k) / parts))
      if (target >= size) break
      const window = await readAt(handle, target, Math.min(2 * SEARCH_BYTES, size - target))
      const searchEnd = Math.min(window.length, SEARCH_BYTES)
      let found = -1
      if (boundary === undefined || close === undefined) {
        const nl = window.indexOf(0x0a)
        if (nl !== -1 && nl < searchEnd && target + nl + 1 < size) found = target + nl + 1
      } else {
        for (let from = 0; from < searchEnd; ) {
          const at = window.indexOf(boundary, from)
          if (at === -1 || at >= searchEnd) break
          const start = at + boundary.length - 1
          if (entryAt(window, start, close)) {
            found = target + start
            break
          }
          from = at + 1
        }
      }
      if (found === -1) continue
      points.push(found)
      previous = found
    }
    return points
  } finally {
    await handle.close()
  }
}
