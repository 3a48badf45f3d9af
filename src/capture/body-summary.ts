// One captured body copy -> its summary: bytes on the wire, decoded, parsed by media type.
import { type BodyCache, type BodyStreak, MAX_CACHED_BODY_BYTES } from './body-cache.js'
import { decodeBody } from './decode.js'
import type { BodyCopy } from './exchange.js'
import { parseBody } from './body-parse.js'
import type { MediaType } from './media-type.js'
import type { BodySummary } from './observation.js'
import type { ObserveOptions } from './options.js'

export interface BodyParseResult {
  summary: BodySummary
  /** the parsed value for a redacted example (JSON and forms, only when asked for) */
  value?: unknown
}

function bytesOf(copy: BodyCopy): Buffer {
  if (copy.chunks.length === 1) return copy.chunks[0] as Buffer
  return Buffer.concat(copy.chunks, copy.copiedBytes)
}

/**
 * Decodes and parses one body copy. `incomplete` means the message did not complete (abort,
 * upstream failure), so the copy may be a prefix even when it was not cut by the capture.
 * With a cache, `streak` (the endpoint's record for this direction) decides whether to look it up.
 */
export function summarizeBody(
  copy: BodyCopy,
  contentEncoding: string | string[] | undefined,
  media: MediaType,
  incomplete: boolean,
  options: ObserveOptions,
  keepValue: boolean,
  cache?: BodyCache,
  streak?: BodyStreak,
): BodyParseResult {
  if (copy.totalBytes === 0 && copy.copiedBytes === 0) {
    return { summary: { kind: 'none', bytes: 0, truncated: false } }
  }
  const bytes = bytesOf(copy)
  // An example needs the parsed value, which the cache does not keep.
  if (cache === undefined || keepValue || bytes.length > MAX_CACHED_BODY_BYTES) {
    return summarize(bytes, copy, contentEncoding, media, incomplete, options, keepValue)
  }
  if (streak !== undefined && !streak.wantsLookup()) {
    cache.skipped++
    return summarize(bytes, copy, contentEncoding, media, incomplete, options, false)
  }
  const encoding = Array.isArray(contentEncoding) ? contentEncoding.join(',') : (contentEncoding ?? '')
  const context = `${media.essence};${media.boundary ?? ''};${media.charset ?? ''};${encoding};${copy.truncated || incomplete};${copy.totalBytes}`
  const key = cache.keyOf(bytes, context)
  const hit = cache.get(key)
  streak?.noteLookup(hit !== undefined)
  if (hit !== undefined) return { summary: hit }
  const result = summarize(bytes, copy, contentEncoding, media, incomplete, options, false)
  cache.set(key, result.summary)
  return result
}

function summarize(
  bytes: Buffer,
  copy: BodyCopy,
  contentEncoding: string | string[] | undefined,
  media: MediaType,
  incomplete: boolean,
  options: ObserveOptions,
  keepValue: boolean,
): BodyParseResult {
  const decoded = decodeBody(bytes, contentEncoding, copy.truncated || incomplete, options.maxDecodedBytes)
  const summary: BodySummary = {
    kind: 'invalid',
    bytes: copy.totalBytes,
    truncated: copy.truncated || decoded.truncated,
  }
  if (decoded.encoding !== undefined) summary.encoding = decoded.encoding
  if (decoded.error !== undefined) {
    summary.error = decoded.error
    return { summary }
  }
  const parsed = parseBody(decoded.bytes, media, decoded.truncated, options, keepValue)
  summary.kind = parsed.kind
  if (parsed.shape !== undefined) summary.shape = parsed.shape
  if (parsed.error !== undefined) summary.error = parsed.error
  if (parsed.partial === true) summary.truncated = true
  return parsed.value === undefined ? { summary } : { summary, value: parsed.value }
}
