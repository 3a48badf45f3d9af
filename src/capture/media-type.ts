// Media types (RFC 9110 §8.3.1): `type/subtype` lower-cased without parameters, plus the one
// or two parameters the capture needs (charset, boundary).

const MAX_CONTENT_TYPE_LENGTH = 256
const TOKEN = /^[a-z0-9!#$%&'*+.^_`|~-]{1,127}\/[a-z0-9!#$%&'*+.^_`|~-]{1,127}$/

export interface MediaType {
  /** `type/subtype`, lower-cased; '' when absent or malformed */
  essence: string
  charset?: string
  boundary?: string
}

function headerText(value: string | string[] | undefined): string {
  if (value === undefined) return ''
  return (Array.isArray(value) ? (value[0] ?? '') : value).slice(0, MAX_CONTENT_TYPE_LENGTH)
}

// Content types repeat; the parsed value of the last few is shared (callers only read it). A
// multipart boundary makes each value unique: those are parsed every time.
const MAX_MEMO = 256
const memo = new Map<string, MediaType>()
const NONE: MediaType = Object.freeze({ essence: '' })

/** Parses a Content-Type header value. Malformed values give an empty essence. The result is read-only. */
export function mediaTypeOf(value: string | string[] | undefined): MediaType {
  const text = headerText(value)
  if (text === '') return NONE
  const known = memo.get(text)
  if (known !== undefined) return known
  const parsed = parseMediaType(text)
  if (parsed.boundary === undefined) {
    if (memo.size >= MAX_MEMO) memo.clear()
    memo.set(text, Object.freeze(parsed))
  }
  return parsed
}

function parseMediaType(text: string): MediaType {
  const parts = text.split(';')
  const essence = (parts[0] as string).trim().toLowerCase()
  const out: MediaType = { essence: TOKEN.test(essence) ? essence : '' }
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i] as string
    const eq = p.indexOf('=')
    if (eq === -1) continue
    const name = p.slice(0, eq).trim().toLowerCase()
    let v = p.slice(eq + 1).trim()
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1)
    if (name === 'charset') out.charset = v.toLowerCase()
    else if (name === 'boundary' && v.length > 0 && v.length <= 70) out.boundary = v
  }
  return out
}

export type MediaClass = 'json' | 'form' | 'multipart' | 'text' | 'binary' | 'unknown'

/** How a media type is parsed: JSON and +json, forms, multipart, text, or opaque. */
export function mediaClassOf(essence: string): MediaClass {
  if (essence === '') return 'unknown'
  if (essence === 'application/json' || essence.endsWith('+json') || essence === 'text/json') return 'json'
  if (essence === 'application/x-www-form-urlencoded') return 'form'
  if (essence === 'multipart/form-data') return 'multipart'
  if (
    essence.startsWith('text/') ||
    essence === 'application/xml' ||
    essence.endsWith('+xml') ||
    essence === 'application/javascript' ||
    essence === 'application/yaml' ||
    essence === 'application/x-ndjson'
  ) {
    return 'text'
  }
  return 'binary'
}
