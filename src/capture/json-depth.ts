// A nesting guard for JSON text. V8's JSON.parse does not overflow on deep nesting, but it
// spends about a microsecond per level, so a 1 MiB body of `[` costs a second of CPU. Texts
// longer than a few KB are scanned first (one linear pass, faster than parsing) and cut where
// they nest deeper than any real API does; the shape then stops there, marked truncated.

const OPEN_OBJECT = 0x7b
const OPEN_ARRAY = 0x5b
const CLOSE_OBJECT = 0x7d
const CLOSE_ARRAY = 0x5d
const QUOTE = 0x22
const BACKSLASH = 0x5c

/** Texts up to this length are parsed without the scan: their worst case is a few milliseconds. */
export const DEPTH_SCAN_MIN_LENGTH = 4096
/** Deeper than this is not an API payload; the shape's own depth cap is far below it anyway. */
export const MAX_JSON_NESTING = 256

/** The index of the bracket that opens level maxDepth + 1, or -1 when the text never nests that deep. */
export function excessiveNestingAt(text: string, maxDepth: number): number {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === BACKSLASH) i++
      else if (c === QUOTE) inString = false
    } else if (c === QUOTE) {
      inString = true
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > maxDepth) return i
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--
    }
  }
  return -1
}
