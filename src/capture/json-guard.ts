// A nesting and width guard for JSON text. V8's JSON.parse does not overflow on deep nesting,
// but it spends about a microsecond per level, so a 1 MiB body of `[` costs a second of CPU; and
// an object with tens of thousands of members costs 0.3 µs a member to parse and more to shape,
// so the 20,000 keys of a 256 KiB body block the proxy's event loop for ~15 ms. Texts longer than
// a few KB are scanned first (one linear pass, faster than parsing) and cut where they nest deeper,
// or hold more members in one object, than any real API payload; the shape then stops there,
// marked truncated.

import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COMMA, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from './json-chars.js'

/** Texts up to this length are parsed without the scan: their worst case is a few milliseconds. */
export const DEPTH_SCAN_MIN_LENGTH = 4096
/** Deeper than this is not an API payload; the shape's own depth cap is far below it anyway. */
export const MAX_JSON_NESTING = 256
/**
 * Members read per object. The shape keeps 200 properties and folds the others into `rest`, so
 * past this a map keyed by ids is still recognised; parsing 1,000 members costs ~0.1 ms.
 */
export const MAX_JSON_MEMBERS = 1000

export interface JsonExcess {
  /** index of the character where the text is cut: the bracket that nests too deep, or the comma before member maxMembers + 1 */
  at: number
  tooDeep: boolean
}

/** Where the text first nests deeper than maxDepth or puts more than maxMembers members in one object; undefined when it never does. */
export function jsonExcessAt(text: string, maxDepth: number, maxMembers: number): JsonExcess | undefined {
  // members[d]: commas seen so far in the object open at depth d; -1 for an array.
  const members = new Int32Array(maxDepth + 2)
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === BACKSLASH) i++
      else if (c === QUOTE) inString = false
    } else if (c === QUOTE) {
      inString = true
    } else if (c === COMMA) {
      if (depth > 0 && members[depth] !== -1 && ++(members[depth] as number) >= maxMembers)
        return { at: i, tooDeep: false }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > maxDepth) return { at: i, tooDeep: true }
      members[depth] = c === OPEN_OBJECT ? 0 : -1
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth > 0) depth--
    }
  }
  return undefined
}
