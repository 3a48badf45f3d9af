// A small streaming JSON scanner that finds the elements of `log.entries` in a HAR document
// without parsing the rest, so files of hundreds of megabytes import with memory bounded by
// the largest entry. It only tracks structure (brackets, strings, the keys on the way to
// `log.entries`); each element is parsed once, with JSON.parse, and handed out as a value.
//
// Walking every byte in JavaScript costs as much as JSON.parse itself on pretty-printed files
// (what devtools write: most bytes are indentation). So once an entry has been scanned byte by
// byte, the scanner remembers how its closing brace sat in its line (the indentation before it,
// the `,` and newline after it) and finds the next entries by jumping from `}` to `}` with
// Buffer#indexOf to the first one in the same place. JSON.parse of the candidate is the proof:
// a text that parses is one complete JSON value, so it ends exactly where the byte walk would
// have ended. A candidate that does not parse (a broken entry, a file indented differently) is
// scanned again byte by byte, which reports it exactly as before.
import { harInvalid } from '../errors.js'
import { parseJson } from './json-text.js'

export type ScannedEntry =
  | { index: number; value: unknown; offset: number }
  | { index: number; problem: string; offset: number }

export interface EntryScannerOptions {
  /** file name for error messages */
  source: string
  /** an element larger than this is reported and skipped (default 64 MiB) */
  maxEntryBytes?: number
  /**
   * Start inside `log.entries`, at the first byte of an entry that begins at this offset of the
   * file (a part of the file read by another thread; see split-file.ts). Indexes then count from 0
   * at that entry, and byte offsets are the file's.
   */
  resumeAt?: number
}

enum Ch {
  Quote = 0x22,
  Backslash = 0x5c,
  Comma = 0x2c,
  Colon = 0x3a,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
  OpenBracket = 0x5b,
  CloseBracket = 0x5d,
}

// Where the scanner is on the way to log.entries.
enum Level {
  /** before the root value */
  Start = 0,
  /** inside the root object */
  Root = 1,
  /** inside root.log */
  Log = 2,
  /** inside root.log.entries */
  Entries = 3,
  /** after the root value */
  Done = 4,
}

enum Expect {
  KeyOrEnd = 0,
  Key = 1,
  Colon = 2,
  Value = 3,
  CommaOrEnd = 4,
}

// What a value being skipped or captured is.
enum ValueKind {
  None = 0,
  Container = 1,
  String = 2,
  Literal = 3,
}

const MAX_KEY_BYTES = 16
/** longest indentation remembered before a closing brace */
const MAX_INDENT_BYTES = 64
/** bytes between a closing brace and the end of its line (a comma, spaces, CR) */
const MAX_LINE_END_BYTES = 8
/** candidates in a row that did not parse before the jump is given up for the file */
const MAX_FAST_MISSES = 16

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}

function isLiteralEnd(c: number): boolean {
  return c === Ch.Comma || c === Ch.CloseBrace || c === Ch.CloseBracket || isSpace(c)
}

/** Whether the bytes before `at` are a newline and then `indent`, all after `start`. */
function endsIndent(chunk: Buffer, at: number, indent: Buffer, start: number): boolean {
  const nl = at - indent.length - 1
  if (nl <= start || chunk[nl] !== 0x0a) return false
  for (let k = 0; k < indent.length; k++) if (chunk[nl + 1 + k] !== indent[k]) return false
  return true
}

function bytesAt(chunk: Buffer, at: number, expected: Buffer): boolean {
  for (let k = 0; k < expected.length; k++) if (chunk[at + k] !== expected[k]) return false
  return true
}

/**
 * Feed it chunks with `push`; each call returns the entries completed in that chunk, in order.
 * Call `end` after the last chunk. Throws SPECTER_ERR_HAR_INVALID when the document is not a HAR
 * (no root object, no `log.entries` array) or its structure breaks outside an entry.
 */
export class EntryScanner {
  private readonly source: string
  private readonly maxEntryBytes: number
  private level = Level.Start
  private expect = Expect.Value
  private key = ''
  private keyOverflow = false
  private sawLog = false
  private sawEntries = false
  // The value being skipped (outside entries) or captured (an entry).
  private kind = ValueKind.None
  private capturing = false
  private depth = 0
  private inString = false
  private escape = false
  private parts: Buffer[] = []
  private captured = 0
  private oversize = false
  private entryOffset = 0
  private nextIndex = 0
  /** bytes consumed before the current chunk */
  private offset = 0
  private failure: unknown
  // How the last entry scanned byte by byte ended: the whitespace between the newline and its
  // closing brace, and the bytes after it up to the newline (undefined: not on a line of its own).
  private closeIndent: Buffer | undefined
  private closeLineEnd: Buffer | undefined
  private fastMisses = 0
  private jumped = 0

  constructor(options: EntryScannerOptions) {
    this.source = options.source
    this.maxEntryBytes = options.maxEntryBytes ?? 64 * 1024 * 1024
    if (options.resumeAt !== undefined) {
      this.level = Level.Entries
      this.expect = Expect.Value
      this.sawLog = true
      this.sawEntries = true
      this.offset = options.resumeAt
    }
  }

  /**
   * True between two entries, where the next one is expected: the bytes so far end inside
   * `log.entries` after a comma (or at its opening bracket), outside any value.
   */
  get betweenEntries(): boolean {
    return this.failure === undefined && this.level === Level.Entries && this.expect === Expect.Value && !this.inValue()
  }

  /**
   * The bytes that sit between two entries of this file, from the newline before the closing
   * brace of one to the opening brace of the next (`\n    },\n    {`), once an entry has been
   * read on lines of its own; undefined for files not laid out that way (one line, say).
   */
  entryBoundary(): Buffer | undefined {
    const indent = this.closeIndent
    const lineEnd = this.closeLineEnd
    if (indent === undefined || lineEnd === undefined || lineEnd[0] !== Ch.Comma) return undefined
    return Buffer.concat([Buffer.from('\n'), indent, Buffer.from('}'), lineEnd, indent, Buffer.from('{')])
  }

  /** entries found by jumping rather than walked byte by byte (for tests and benchmarks) */
  get entriesJumped(): number {
    return this.jumped
  }

  /** entries started so far (the index the next one gets) */
  get entriesSeen(): number {
    return this.nextIndex
  }

  push(chunk: Buffer): ScannedEntry[] {
    if (this.failure !== undefined) throw this.failure
    const out: ScannedEntry[] = []
    try {
      this.scan(chunk, out)
    } catch (err) {
      // Entries completed before the damage are still handed out; the error surfaces on the next call.
      if (out.length === 0) throw err
      this.failure = err
    }
    return out
  }

  private scan(chunk: Buffer, out: ScannedEntry[]): void {
    let i = 0
    const len = chunk.length
    while (i < len) {
      if (this.inValue()) {
        const start = i
        i = this.scanValue(chunk, i)
        if (this.capturing) this.keep(chunk, start, i)
        if (!this.inValue()) {
          if (this.capturing && chunk[i - 1] === Ch.CloseBrace) this.learnClose(chunk, i - 1)
          this.valueEnded(out)
        }
        continue
      }
      const c = chunk[i] as number
      // A UTF-8 byte order mark before the root value is skipped like whitespace.
      if (isSpace(c) || (this.level === Level.Start && (c === 0xef || c === 0xbb || c === 0xbf))) {
        i++
        continue
      }
      if (this.expect === Expect.Key) {
        i = this.scanKey(chunk, i)
        continue
      }
      if (c === Ch.OpenBrace && this.level === Level.Entries && this.expect === Expect.Value) {
        const end = this.jumpEntry(chunk, i, out)
        if (end !== -1) {
          i = end
          continue
        }
      }
      this.structural(c, this.offset + i)
      if (this.inValue()) {
        // structural() started a value at this byte: scan it from here (the byte included).
        if (this.capturing) {
          this.entryOffset = this.offset + i
          this.parts = []
          this.captured = 0
          this.oversize = false
        }
        continue
      }
      i++
    }
    this.offset += len
  }

  /** Call after the last chunk: reports a truncated entry, or throws when the file is not a complete HAR. */
  end(): ScannedEntry[] {
    if (this.failure !== undefined) throw this.failure
    const out: ScannedEntry[] = []
    if (this.kind === ValueKind.Literal) {
      // A literal may legally end at end of input (only matters for the root).
      this.kind = ValueKind.None
      this.valueEnded(out)
    }
    if (this.capturing && this.kind !== ValueKind.None) {
      out.push({
        index: this.nextIndex - 1,
        problem: 'the file ends inside this entry (truncated file)',
        offset: this.entryOffset,
      })
      this.parts = []
      return out
    }
    if (this.level === Level.Start) throw harInvalid(this.source, 'the file is empty')
    if (!this.sawEntries && this.level !== Level.Done) {
      throw harInvalid(
        this.source,
        `the file ends at byte ${this.offset} before any "log.entries" array (a truncated file, or not HAR)`,
      )
    }
    if (!this.sawLog)
      throw harInvalid(this.source, 'it has no "log" object (HAR 1.2 needs {"log": {"entries": [...]}})')
    if (!this.sawEntries) throw harInvalid(this.source, 'its "log" object has no "entries" array')
    if (this.level !== Level.Done) {
      out.push({
        index: this.nextIndex,
        problem: 'the file ends before log.entries is closed (truncated file)',
        offset: this.offset,
      })
    }
    return out
  }

  // A method, so that TypeScript does not narrow `kind` across calls that change it.
  private inValue(): boolean {
    return this.kind !== ValueKind.None
  }

  private fail(at: number, problem: string): never {
    throw harInvalid(this.source, `${problem} at byte ${at}`)
  }

  private structural(c: number, at: number): void {
    switch (this.level) {
      case Level.Start:
        if (c !== Ch.OpenBrace) this.fail(at, 'it does not start with a JSON object (a HAR file is {"log": ...})')
        this.level = Level.Root
        this.expect = Expect.KeyOrEnd
        return
      case Level.Root:
      case Level.Log:
        this.inObject(c, at)
        return
      case Level.Entries:
        this.inEntries(c, at)
        return
      case Level.Done:
        this.fail(at, 'unexpected data after the HAR document')
    }
  }

  private inObject(c: number, at: number): void {
    switch (this.expect) {
      case Expect.KeyOrEnd:
      case Expect.CommaOrEnd:
        if (c === Ch.CloseBrace) {
          this.closeObject()
          return
        }
        if (this.expect === Expect.CommaOrEnd) {
          if (c !== Ch.Comma) this.fail(at, 'expected "," or "}"')
          this.expect = Expect.KeyOrEnd
          return
        }
        if (c !== Ch.Quote) this.fail(at, 'expected a property name')
        this.expect = Expect.Key
        this.key = ''
        this.keyOverflow = false
        this.escape = false
        return
      case Expect.Colon:
        if (c !== Ch.Colon) this.fail(at, 'expected ":"')
        this.expect = Expect.Value
        return
      case Expect.Value:
        if (this.level === Level.Root && this.key === 'log') {
          if (c !== Ch.OpenBrace) this.fail(at, '"log" is not an object')
          this.sawLog = true
          this.level = Level.Log
          this.expect = Expect.KeyOrEnd
          return
        }
        if (this.level === Level.Log && this.key === 'entries') {
          if (c !== Ch.OpenBracket) this.fail(at, '"log.entries" is not an array')
          this.sawEntries = true
          this.level = Level.Entries
          this.expect = Expect.Value
          return
        }
        this.startValue(c, at, false)
        return
      default:
        return
    }
  }

  private closeObject(): void {
    if (this.level === Level.Root) {
      this.level = Level.Done
    } else {
      this.level = Level.Root
      this.expect = Expect.CommaOrEnd
    }
  }

  private inEntries(c: number, at: number): void {
    if (c === Ch.CloseBracket && this.expect !== Expect.Colon) {
      this.level = Level.Log
      this.expect = Expect.CommaOrEnd
      return
    }
    if (this.expect === Expect.CommaOrEnd) {
      if (c !== Ch.Comma) this.fail(at, `expected "," or "]" after entry ${this.nextIndex - 1}`)
      this.expect = Expect.Value
      return
    }
    this.nextIndex++
    this.startValue(c, at, true)
  }

  private startValue(c: number, at: number, capture: boolean): void {
    this.capturing = capture
    this.depth = 0
    this.inString = false
    this.escape = false
    if (c === Ch.OpenBrace || c === Ch.OpenBracket) this.kind = ValueKind.Container
    else if (c === Ch.Quote) this.kind = ValueKind.String
    else if (c === Ch.CloseBrace || c === Ch.CloseBracket || c === Ch.Comma || c === Ch.Colon) {
      this.fail(at, 'expected a value')
    } else this.kind = ValueKind.Literal
  }

  private valueEnded(out: ScannedEntry[]): void {
    this.expect = Expect.CommaOrEnd
    if (!this.capturing) return
    this.capturing = false
    const index = this.nextIndex - 1
    if (this.oversize) {
      out.push({ index, problem: `the entry is larger than ${this.maxEntryBytes} bytes`, offset: this.entryOffset })
    } else {
      const bytes = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.captured)
      out.push({ index, ...parseJson(bytes), offset: this.entryOffset })
    }
    this.parts = []
  }

  /** Remembers where the closing brace at `at` sits in its line, for jumpEntry. */
  private learnClose(chunk: Buffer, at: number): void {
    let k = at - 1
    while (k >= 0 && at - k <= MAX_INDENT_BYTES && (chunk[k] === 0x20 || chunk[k] === 0x09)) k--
    this.closeIndent = k >= 0 && chunk[k] === 0x0a ? Buffer.from(chunk.subarray(k + 1, at)) : undefined
    let j = at + 1
    while (j < chunk.length && j - at <= MAX_LINE_END_BYTES && (chunk[j] === Ch.Comma || isSpace(chunk[j] as number))) {
      if (chunk[j] === 0x0a) break
      j++
    }
    this.closeLineEnd = j < chunk.length && chunk[j] === 0x0a ? Buffer.from(chunk.subarray(at + 1, j + 1)) : undefined
  }

  /**
   * The entry starting with the `{` at `start`, found by jumping to the first `}` placed like the
   * last entry's closing brace and proved by parsing it; -1 when that is not possible in this
   * chunk (then the entry is scanned byte by byte).
   */
  private jumpEntry(chunk: Buffer, start: number, out: ScannedEntry[]): number {
    const indent = this.closeIndent
    const lineEnd = this.closeLineEnd
    if (indent === undefined && lineEnd === undefined) return -1
    const limit = Math.min(chunk.length, start + this.maxEntryBytes)
    let from = start + 1
    for (;;) {
      const q = chunk.indexOf(Ch.CloseBrace, from)
      if (q === -1 || q >= limit) return -1
      from = q + 1
      if (indent !== undefined && !endsIndent(chunk, q, indent, start)) continue
      if (lineEnd !== undefined) {
        if (q + 1 + lineEnd.length > chunk.length) return -1
        if (!bytesAt(chunk, q + 1, lineEnd)) continue
      }
      const parsed = parseJson(chunk, start, q + 1)
      if (!('value' in parsed)) {
        if (++this.fastMisses >= MAX_FAST_MISSES) {
          this.closeIndent = undefined
          this.closeLineEnd = undefined
        }
        return -1
      }
      this.fastMisses = 0
      this.jumped++
      out.push({ index: this.nextIndex++, value: parsed.value, offset: this.offset + start })
      this.expect = Expect.CommaOrEnd
      return q + 1
    }
  }

  private keep(chunk: Buffer, start: number, end: number): void {
    if (this.oversize || end <= start) return
    this.captured += end - start
    if (this.captured > this.maxEntryBytes) {
      this.oversize = true
      this.parts = []
      return
    }
    // No copy: read streams hand out a fresh buffer per chunk, and an entry pins only the chunks
    // it spans, until it is handed out.
    this.parts.push(chunk.subarray(start, end))
  }

  /** Reads a property name at levels Root and Log (only short names matter: "log", "entries"). */
  private scanKey(chunk: Buffer, i: number): number {
    const len = chunk.length
    while (i < len) {
      const c = chunk[i] as number
      if (this.escape) {
        this.escape = false
        this.keyOverflow = true
      } else if (c === Ch.Backslash) {
        this.escape = true
      } else if (c === Ch.Quote) {
        if (this.keyOverflow) this.key = ''
        this.expect = Expect.Colon
        return i + 1
      } else if (this.key.length < MAX_KEY_BYTES) {
        this.key += String.fromCharCode(c)
      } else {
        this.keyOverflow = true
      }
      i++
    }
    return i
  }

  /** Advances through the current value; returns where it stopped (end of chunk or just past the value). */
  private scanValue(chunk: Buffer, i: number): number {
    const len = chunk.length
    if (this.kind === ValueKind.Literal) {
      while (i < len && !isLiteralEnd(chunk[i] as number)) i++
      if (i < len) this.kind = ValueKind.None
      return i
    }
    if (this.kind === ValueKind.String) {
      // The opening quote is the first byte seen.
      if (!this.inString) {
        this.inString = true
        i++
      }
      i = this.skipString(chunk, i)
      if (!this.inString) this.kind = ValueKind.None
      return i
    }
    while (i < len) {
      if (this.inString) {
        i = this.skipString(chunk, i)
        continue
      }
      const c = chunk[i] as number
      i++
      if (c === Ch.Quote) this.inString = true
      else if (c === Ch.OpenBrace || c === Ch.OpenBracket) this.depth++
      else if (c === Ch.CloseBrace || c === Ch.CloseBracket) {
        this.depth--
        if (this.depth === 0) {
          this.kind = ValueKind.None
          return i
        }
      }
    }
    return i
  }

  /** Inside a string: jumps to the closing quote with indexOf, minding backslash escapes. */
  private skipString(chunk: Buffer, i: number): number {
    const len = chunk.length
    if (this.escape) {
      this.escape = false
      i++
    }
    while (i < len) {
      const q = chunk.indexOf(Ch.Quote, i)
      if (q === -1) {
        let run = 0
        for (let k = len - 1; k >= i && chunk[k] === Ch.Backslash; k--) run++
        this.escape = run % 2 === 1
        return len
      }
      let run = 0
      for (let k = q - 1; k >= i && chunk[k] === Ch.Backslash; k--) run++
      if (run % 2 === 0) {
        this.inString = false
        return q + 1
      }
      i = q + 1
    }
    return i
  }
}
