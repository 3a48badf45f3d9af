// Splits a byte stream into lines (LF or CRLF) across chunk boundaries, with a per-line size
// cap, for the NDJSON import. Line numbers start at 1; blank lines are skipped.

export type SplitLine = { line: number; bytes: Buffer } | { line: number; problem: string }

export class LineSplitter {
  private parts: Buffer[] = []
  private partBytes = 0
  private oversize = false
  private lineNo = 0

  constructor(private readonly maxLineBytes: number) {}

  /** lines ended so far, blank ones included (the number the last line got) */
  get linesSeen(): number {
    return this.lineNo
  }

  push(chunk: Buffer): SplitLine[] {
    const out: SplitLine[] = []
    let start = 0
    for (;;) {
      const nl = chunk.indexOf(0x0a, start)
      if (nl === -1) break
      this.append(chunk, start, nl)
      this.finish(out)
      start = nl + 1
    }
    this.append(chunk, start, chunk.length)
    return out
  }

  end(): SplitLine[] {
    const out: SplitLine[] = []
    if (this.partBytes > 0 || this.oversize) this.finish(out)
    return out
  }

  private append(chunk: Buffer, start: number, end: number): void {
    if (end <= start || this.oversize) return
    this.partBytes += end - start
    if (this.partBytes > this.maxLineBytes) {
      this.oversize = true
      this.parts = []
      return
    }
    // No copy: a line pins only the chunks it spans (read streams give a fresh buffer per chunk).
    this.parts.push(chunk.subarray(start, end))
  }

  private finish(out: SplitLine[]): void {
    this.lineNo++
    if (this.oversize) {
      out.push({ line: this.lineNo, problem: `the line is longer than ${this.maxLineBytes} bytes` })
    } else if (this.partBytes > 0) {
      let bytes = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.partBytes)
      if (bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1)
      if (!isBlank(bytes)) out.push({ line: this.lineNo, bytes })
    }
    this.parts = []
    this.partBytes = 0
    this.oversize = false
  }
}

function isBlank(bytes: Buffer): boolean {
  for (const c of bytes) if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false
  return true
}
