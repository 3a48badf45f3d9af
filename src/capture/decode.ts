// Content decoding of a captured body copy (RFC 9110 §8.4): gzip, x-gzip, br, deflate (the
// zlib wrapper of RFC 1950 as specified, and the raw RFC 1951 stream some servers send
// instead), stacked in the order listed. Synchronous zlib with `maxOutputLength`, so a
// decompression bomb stops at the decoded size limit instead of filling memory.
import * as zlib from 'node:zlib'

export type DecodeError = 'decompression-limit' | 'decode-failed' | 'unsupported-encoding'

export interface Decoded {
  bytes: Buffer
  /** the bytes are a prefix of the body: the copy was cut, or the stream ended early */
  truncated: boolean
  /** content-encoding as sent, lower-cased (absent for identity) */
  encoding?: string
  error?: DecodeError
}

// More layers than this is not a real server: it is somebody probing the decoder.
const MAX_LAYERS = 4
const MAX_ENCODING_HEADER_LENGTH = 128

type Codec = (input: Buffer, options: zlib.ZlibOptions | zlib.BrotliOptions) => Buffer

function isZlibWrapped(input: Buffer): boolean {
  // RFC 1950 §2.2: CM = 8 (deflate), and CMF*256 + FLG is a multiple of 31.
  if (input.length < 2) return false
  const cmf = input[0] as number
  const flg = input[1] as number
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0
}

function codecOf(coding: string, input: Buffer): { codec: Codec; brotli: boolean } | undefined {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return { codec: zlib.gunzipSync, brotli: false }
    case 'br':
      return { codec: zlib.brotliDecompressSync, brotli: true }
    case 'deflate':
      return { codec: isZlibWrapped(input) ? zlib.inflateSync : zlib.inflateRawSync, brotli: false }
    default:
      return undefined
  }
}

function isLimitError(err: unknown): boolean {
  return (err as { code?: unknown })?.code === 'ERR_BUFFER_TOO_LARGE'
}

function isEndOfInput(err: unknown): boolean {
  // zlib reports a stream that stops early as Z_BUF_ERROR ("unexpected end of file").
  return (err as { code?: unknown })?.code === 'Z_BUF_ERROR'
}

/** The content codings of a Content-Encoding header, in the order they were applied. */
export function codingsOf(header: string | string[] | undefined): string[] {
  if (header === undefined) return []
  const text = (Array.isArray(header) ? header.join(',') : header).slice(0, MAX_ENCODING_HEADER_LENGTH)
  const out: string[] = []
  for (const part of text.split(',')) {
    const c = part.trim().toLowerCase()
    if (c !== '' && c !== 'identity') out.push(c)
  }
  return out
}

/**
 * Decodes a body copy. `partial` says the copy is known to be a prefix (cut at the capture
 * limit, or the exchange was aborted): it is then decoded as far as it goes with a sync
 * flush. A complete-looking stream that ends early is retried the same way and marked
 * truncated. Never throws.
 */
export function decodeBody(
  body: Buffer,
  contentEncoding: string | string[] | undefined,
  partial: boolean,
  maxDecodedBytes: number,
): Decoded {
  const codings = codingsOf(contentEncoding)
  if (codings.length === 0) {
    if (body.length <= maxDecodedBytes) return { bytes: body, truncated: partial }
    return { bytes: body.subarray(0, maxDecodedBytes), truncated: true }
  }
  const encoding = codings.join(', ')
  if (codings.length > MAX_LAYERS)
    return { bytes: Buffer.alloc(0), truncated: partial, encoding, error: 'unsupported-encoding' }
  let bytes = body
  let truncated = partial
  for (let i = codings.length - 1; i >= 0; i--) {
    const c = codecOf(codings[i] as string, bytes)
    if (c === undefined) return { bytes: Buffer.alloc(0), truncated, encoding, error: 'unsupported-encoding' }
    const flush = c.brotli ? zlib.constants.BROTLI_OPERATION_FLUSH : zlib.constants.Z_SYNC_FLUSH
    try {
      if (truncated) {
        bytes = c.codec(bytes, { maxOutputLength: maxDecodedBytes, finishFlush: flush })
      } else {
        try {
          bytes = c.codec(bytes, { maxOutputLength: maxDecodedBytes })
        } catch (err) {
          if (!isEndOfInput(err)) throw err
          truncated = true
          bytes = c.codec(bytes, { maxOutputLength: maxDecodedBytes, finishFlush: flush })
        }
      }
    } catch (err) {
      const error: DecodeError = isLimitError(err) ? 'decompression-limit' : 'decode-failed'
      return { bytes: Buffer.alloc(0), truncated: truncated || error === 'decompression-limit', encoding, error }
    }
  }
  return { bytes, truncated, encoding }
}
