// A decoded body -> its summary by media type: JSON (and +json) to a shape, forms and
// multipart to an object shape of field names, text and everything else to a kind only.
// Values are parsed in memory for the shape and dropped; nothing here keeps them.
import { isUtf8 } from 'node:buffer'
import { type Shape, shapeOf } from '../infer/index.js'
import { type MediaType, mediaClassOf } from './media-type.js'
import { markFileFields, multipartFields } from './multipart.js'
import type { BodyKind } from './observation.js'
import type { ObserveOptions } from './options.js'
import { parseFields } from './query.js'
import { DEPTH_SCAN_MIN_LENGTH, jsonExcessAt, MAX_JSON_MEMBERS, MAX_JSON_NESTING } from './json-guard.js'
import { foldUnsafeKeys } from './shape-guard.js'
import { closeTruncatedJson } from './truncated-json.js'
import { guardedClassify } from './value-classify.js'

export type ParseError = 'invalid-json' | 'invalid-utf8' | 'incomplete-json' | 'invalid-multipart' | 'too-deep'

export interface ParsedBody {
  kind: BodyKind
  shape?: Shape
  error?: ParseError
  /** the body could only be read in part (it was cut, and closed for parsing) */
  partial?: boolean
  /** the parsed value, kept only long enough to build a redacted example */
  value?: unknown
}

const UTF8_BOM = '\uFEFF'

function utf8Text(bytes: Buffer, truncated: boolean): string | undefined {
  if (isUtf8(bytes)) return bytes.toString('utf8')
  if (!truncated) return undefined
  // A cut copy may end inside a multi-byte sequence: drop up to three trailing bytes.
  for (let drop = 1; drop <= 3 && drop < bytes.length; drop++) {
    const head = bytes.subarray(0, bytes.length - drop)
    if (isUtf8(head)) return head.toString('utf8')
  }
  return undefined
}

function firstNonSpace(bytes: Buffer): number {
  const end = Math.min(bytes.length, 64)
  for (let i = 0; i < end; i++) {
    const c = bytes[i] as number
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return c
  }
  return -1
}

function parseOrUndefined(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) }
  } catch {
    return undefined
  }
}

function parseJson(input: Buffer, prefix: boolean, options: ObserveOptions, keepValue: boolean): ParsedBody {
  // JSON.parse costs ~10 ns a byte and blocks the loop the proxy runs on: past maxParseBytes only
  // a prefix is read (closed at its last complete member), and the shape is marked truncated.
  const cut = input.length > options.maxParseBytes
  const bytes = cut ? input.subarray(0, options.maxParseBytes) : input
  const truncated = prefix || cut
  let text = utf8Text(bytes, truncated)
  if (text === undefined) return { kind: 'invalid', error: 'invalid-utf8' }
  if (text.startsWith(UTF8_BOM)) text = text.slice(1)
  let value: unknown
  let partial = cut
  if (text.length > DEPTH_SCAN_MIN_LENGTH) {
    const excess = jsonExcessAt(text, MAX_JSON_NESTING, MAX_JSON_MEMBERS)
    if (excess?.tooDeep === true) {
      // Parse what comes before the excess, closed, so the outer levels still give a shape.
      const closed = closeTruncatedJson(text.slice(0, excess.at))
      const parsed = closed === undefined ? undefined : parseOrUndefined(closed)
      const out: ParsedBody = { kind: 'json', error: 'too-deep', partial: true }
      if (parsed !== undefined) {
        out.shape = foldUnsafeKeys(
          shapeOf(parsed.value, { limits: options.shapeLimits, classify: guardedClassify(options.classify) }),
        )
      }
      return out
    }
    if (excess !== undefined) {
      // An object wider than any payload (a flood of keys): shaped from the members before the cut,
      // as a body cut at maxParseBytes is. The comma stays, so the member before it counts as complete.
      const closed = closeTruncatedJson(text.slice(0, excess.at + 1))
      if (closed === undefined) return { kind: 'json', error: 'incomplete-json', partial: true }
      text = closed
      partial = true
    }
  }
  try {
    value = JSON.parse(text)
  } catch {
    const closed = truncated ? closeTruncatedJson(text) : undefined
    const parsed = closed === undefined ? undefined : parseOrUndefined(closed)
    if (parsed === undefined) {
      if (!truncated) return { kind: 'invalid', error: 'invalid-json' }
      const out: ParsedBody = { kind: 'json', error: 'incomplete-json' }
      if (partial) out.partial = true
      return out
    }
    value = parsed.value
    partial = true
  }
  let shape = shapeOf(value, { limits: options.shapeLimits, classify: guardedClassify(options.classify) })
  shape = foldUnsafeKeys(shape)
  const out: ParsedBody = { kind: 'json', shape }
  if (partial) out.partial = true
  if (keepValue) out.value = value
  return out
}

/**
 * Parses a decoded body by its media type. `truncated` says the bytes are a prefix of the body.
 * Never throws on any input.
 */
export function parseBody(
  bytes: Buffer,
  media: MediaType,
  truncated: boolean,
  options: ObserveOptions,
  keepValue: boolean,
): ParsedBody {
  let cls = mediaClassOf(media.essence)
  if (cls === 'unknown') {
    // No content type: JSON is sniffed from its first byte, anything else stays opaque.
    const c = firstNonSpace(bytes)
    cls = c === 0x7b || c === 0x5b ? 'json' : 'binary'
  }
  switch (cls) {
    case 'json':
      return parseJson(bytes, truncated, options, keepValue)
    case 'form': {
      const { record } = parseFields(bytes.toString('utf8'), options.maxFields)
      const shape = foldUnsafeKeys(
        shapeOf(record, { limits: options.shapeLimits, classify: guardedClassify(options.classify) }),
      )
      const out: ParsedBody = { kind: 'form', shape }
      if (keepValue) out.value = record
      return out
    }
    case 'multipart': {
      if (media.boundary === undefined) return { kind: 'invalid', error: 'invalid-multipart' }
      const fields = multipartFields(bytes, media.boundary, options.maxParts)
      const record = Object.create(null) as Record<string, unknown>
      for (const f of fields) {
        if (!Object.hasOwn(record, f.name)) record[f.name] = ''
        else if (Array.isArray(record[f.name])) (record[f.name] as unknown[]).push('')
        else record[f.name] = ['', '']
      }
      const shape = shapeOf(record, { limits: options.shapeLimits })
      markFileFields(shape, fields)
      return { kind: 'multipart', shape: foldUnsafeKeys(shape) }
    }
    case 'text':
      return { kind: 'text' }
    default:
      return { kind: 'binary' }
  }
}
