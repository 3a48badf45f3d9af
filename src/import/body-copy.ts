// Builds the capture contract's BodyCopy from bytes read out of a file, applying the same
// size cap as the live tap, and decides whether a content-encoding header still applies.
import type { BodyCopy, RawHeaders } from '../capture/index.js'

/** A bounded copy of `bytes`; `totalBytes` is what went over the wire when the file says more. */
export function bodyCopy(bytes: Buffer, maxBodyBytes: number, totalBytes = bytes.length): BodyCopy {
  const total = Math.max(totalBytes, bytes.length)
  const kept = bytes.length > maxBodyBytes ? bytes.subarray(0, maxBodyBytes) : bytes
  return {
    chunks: kept.length === 0 ? [] : [kept],
    copiedBytes: kept.length,
    totalBytes: total,
    truncated: kept.length < total,
  }
}

export const EMPTY_BODY: BodyCopy = Object.freeze({ chunks: [], copiedBytes: 0, totalBytes: 0, truncated: false })

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/

/** Decodes base64 (standard or URL-safe, whitespace tolerated); undefined when it is not base64. */
export function decodeBase64(text: string): Buffer | undefined {
  // One pass over the usual body (no line breaks) instead of four. Node's base64 decoder also
  // takes the URL-safe alphabet (RFC 4648 §5), so neither needs looking for.
  if (BASE64.test(text)) return Buffer.from(text, 'base64')
  const compact = text.replace(/\s+/g, '')
  if (compact.length === text.length || !BASE64.test(compact)) return undefined
  return Buffer.from(compact, 'base64')
}

function looksLikeText(bytes: Buffer): boolean {
  const end = Math.min(bytes.length, 512)
  for (let i = 0; i < end; i++) {
    const c = bytes[i] as number
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false
  }
  return true
}

/**
 * Devtools store bodies already decoded while keeping the `content-encoding` response header;
 * some tools keep the bytes as sent. Returns true when `bytes` still look encoded with
 * `encoding`, so the capture decodes them exactly as it does live traffic.
 */
export function stillEncoded(encoding: string, bytes: Buffer): boolean {
  if (bytes.length === 0) return false
  const e = encoding.trim().toLowerCase()
  if (e === 'gzip' || e === 'x-gzip') return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
  if (e === 'deflate') {
    // zlib wrapper (RFC 1950): CM = 8 and the header checksum; raw deflate has no magic, so fall back to "not text".
    const b0 = bytes[0] as number
    const b1 = bytes[1] ?? 0
    if ((b0 & 0x0f) === 8 && (b0 * 256 + b1) % 31 === 0) return true
    return !looksLikeText(bytes)
  }
  if (e === 'br' || e === 'zstd') return !looksLikeText(bytes)
  return false
}

/** Removes content-encoding (and the then wrong content-length) when the body is already decoded. */
export function fixContentEncoding(headers: RawHeaders, body: Buffer): void {
  const encoding = headers['content-encoding']
  if (typeof encoding !== 'string' || encoding === '' || encoding.toLowerCase() === 'identity') return
  if (stillEncoded(encoding, body)) return
  delete headers['content-encoding']
  delete headers['content-length']
}
