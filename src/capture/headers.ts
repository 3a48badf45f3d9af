// Header names as object shapes (lower-cased names -> value shapes). A value is kept only
// for a small allow-list of headers that never carry anything personal or secret; every
// other value becomes an empty string before shaping, so only its presence is recorded.
import type { Shape } from '../infer/index.js'
import type { RawHeaders } from './exchange.js'
import { isSecretHeader } from './secret-names.js'

/** Headers whose values are protocol vocabulary, safe to keep as enum candidates. */
const VALUE_ALLOW_LIST: ReadonlySet<string> = new Set([
  'content-type',
  'accept',
  'content-encoding',
  'accept-encoding',
  'transfer-encoding',
  'content-language',
  'accept-language',
  'cache-control',
  'connection',
  'vary',
  'x-requested-with',
  'accept-ranges',
  'allow',
  'x-content-type-options',
  'x-frame-options',
  'pragma',
  'upgrade',
  'te',
])

const MAX_NAME_LENGTH = 64
const MAX_VALUE_LENGTH = 64
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/

function keptValue(name: string, raw: string | string[]): string | undefined {
  if (!VALUE_ALLOW_LIST.has(name) || isSecretHeader(name)) return undefined
  let v = (Array.isArray(raw) ? raw.join(', ') : raw).trim().toLowerCase()
  // Parameters carry per-message data (multipart boundaries); the media type alone is the vocabulary.
  if (name === 'content-type') v = (v.split(';')[0] as string).trim()
  return v.length <= MAX_VALUE_LENGTH ? v : undefined
}

// Shapes are never mutated (merges build new ones), so every withheld value shares one node.
const WITHHELD: Shape = Object.freeze({ n: 1, str: Object.freeze({ n: 1, minLen: 0, maxLen: 0, vals: null }) })

function valueShape(value: string | undefined): Shape {
  if (value === undefined || value === '') return WITHHELD
  const vals = Object.create(null) as Record<string, number>
  vals[value] = 1
  return { n: 1, str: { n: 1, minLen: value.length, maxLen: value.length, vals } }
}

// Clients and servers send the same header set over and over: the shape is remembered by the
// names and the allow-listed values (never other values), in arrival order.
const cache = new Map<string, Shape>()
const MAX_CACHED = 512
const MAX_KEY_LENGTH = 2048

function cacheKeyOf(headers: RawHeaders, maxNames: number): string | undefined {
  let key = `${maxNames}`
  for (const name of Object.keys(headers)) {
    const raw = headers[name]
    if (raw === undefined) continue
    const lower = name.toLowerCase()
    key += `\n${lower}`
    if (VALUE_ALLOW_LIST.has(lower)) key += `\t${Array.isArray(raw) ? raw.join(', ') : raw}`
    if (key.length > MAX_KEY_LENGTH) return undefined
  }
  return key
}

/**
 * The object shape of a message's header names. At most `maxNames` names are kept (the
 * smallest in code-point order, as shapes cap properties); the others are only counted.
 * The result may be shared with other messages and must not be mutated.
 */
export function headerShape(headers: RawHeaders, maxNames: number): Shape {
  const key = cacheKeyOf(headers, maxNames)
  if (key === undefined) return computeHeaderShape(headers, maxNames)
  let shape = cache.get(key)
  if (shape === undefined) {
    shape = computeHeaderShape(headers, maxNames)
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string)
    cache.set(key, shape)
  }
  return shape
}

function computeHeaderShape(headers: RawHeaders, maxNames: number): Shape {
  const raws = new Map<string, string | string[]>()
  let skipped = 0
  for (const key of Object.keys(headers)) {
    const raw = headers[key]
    if (raw === undefined) continue
    const name = key.length <= MAX_NAME_LENGTH ? key.toLowerCase() : ''
    if (!HEADER_NAME.test(name) || raws.has(name)) {
      skipped++
      continue
    }
    raws.set(name, raw)
  }
  const names = [...raws.keys()].sort()
  const props = Object.create(null) as Record<string, Shape>
  const kept = Math.min(names.length, maxNames)
  for (let i = 0; i < kept; i++) {
    const name = names[i] as string
    props[name] = valueShape(keptValue(name, raws.get(name) as string | string[]))
  }
  skipped += names.length - kept
  if (skipped === 0) return { n: 1, obj: { n: 1, props } }
  // Names beyond the cap are counted, like properties beyond the shape cap.
  return {
    n: 1,
    obj: {
      n: 1,
      props,
      restKeys: skipped,
      rest: { n: skipped, str: { n: skipped, minLen: 0, maxLen: 0, vals: null } },
    },
  }
}
