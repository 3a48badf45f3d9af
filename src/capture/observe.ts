// One exchange -> one observation: method, host, path key, query, header names, credential
// facts, body shapes, a keyed client hash and (when the store asks) redacted examples.
// Pure apart from zlib and the HMAC; runs off the request path, in the capture's flush loop.
import { foldDigitSegments, type PathKey, pathKeyOf, type Shape, shapeOf } from '../infer/index.js'
import { authFacts, hasQueryCredential } from './auth.js'
import type { BodyCache } from './body-cache.js'
import { type BodyParseResult, summarizeBody } from './body-summary.js'
import { clientKeyOf } from './client-key.js'
import type { Exchange, RawHeaders } from './exchange.js'
import { headerShape } from './headers.js'
import { mediaTypeOf } from './media-type.js'
import type { Observation } from './observation.js'
import { DEFAULT_OBSERVE_OPTIONS, type ObserveOptions } from './options.js'
import { parseFields } from './query.js'
import { redactExample } from './redact-example.js'
import { foldUnsafeKeys } from './shape-guard.js'
import { guardedClassify } from './value-classify.js'

const MAX_HOST_LENGTH = 255
const MAX_METHOD_LENGTH = 32
const MAX_SEGMENTS = 64
const METHOD = /^[A-Z][A-Z0-9_-]{0,31}$/
// Segment values kept for ID analysis: a long hex run reads more like a key or a reset token
// than an id (and is unguessable anyway, so ID analysis loses nothing by not seeing it).
const MAX_KEPT_HEX_LENGTH = 24
const MAX_KEPT_VALUE_LENGTH = 36
const NO_FIELDS: Record<string, unknown> = Object.freeze(Object.create(null) as Record<string, unknown>)

// Path keys by the path with all-digit segments folded to `0` (infer's foldDigitSegments: paths
// that differ only in such ids share a path key and the positions of their kept values). Paths
// only (no query); forgotten all at once when full.
const MAX_MEMO_PATHS = 1024
const pathKeyMemo = new Map<string, { pathKey: string; valueIndexes: number[] }>()

/** pathKeyOf, remembered by the digit-folded path. */
export function memoPathKeyOf(path: string): PathKey {
  const parts = path.split('/')
  const folded = foldDigitSegments(path)
  const known = pathKeyMemo.get(folded)
  if (known !== undefined) {
    const values: Array<[number, string]> = new Array(known.valueIndexes.length)
    for (let k = 0; k < values.length; k++) {
      const index = known.valueIndexes[k] as number
      values[k] = [index, parts[index + 1] as string]
    }
    return { pathKey: known.pathKey, values }
  }
  const computed = pathKeyOf(path)
  if (pathKeyMemo.size >= MAX_MEMO_PATHS) pathKeyMemo.clear()
  pathKeyMemo.set(folded, { pathKey: computed.pathKey, valueIndexes: computed.values.map(([index]) => index) })
  return computed
}

function keptSegmentValues(pathKey: string, values: Array<[number, string]>): Array<[number, string]> {
  // Short values are always kept: the placeholder only matters for values longer than a kept hex run.
  let short = true
  for (const [, value] of values) if (value.length > MAX_KEPT_HEX_LENGTH) short = false
  if (short) return values
  const segments = pathKey.split('/')
  return values.filter(([index, value]) => {
    if (value.length > MAX_KEPT_VALUE_LENGTH) return false
    return segments[index + 1] !== '{hex}' || value.length <= MAX_KEPT_HEX_LENGTH
  })
}

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? ''
}

/** Splits a request target into path and query, accepting the absolute form of RFC 9112 §3.2.2. */
export function splitTarget(url: string): { path: string; search: string } {
  let target = url
  if (!target.startsWith('/')) {
    const scheme = target.indexOf('://')
    if (scheme !== -1) {
      const rest = target.slice(scheme + 3)
      const slash = rest.indexOf('/')
      const query = rest.indexOf('?')
      if (slash !== -1 && (query === -1 || slash < query)) target = rest.slice(slash)
      else target = query === -1 ? '/' : `/${rest.slice(query)}`
    } else {
      // The asterisk form (`OPTIONS *`) and anything else unrooted become a rooted path.
      target = `/${target}`
    }
  }
  const hash = target.indexOf('#')
  if (hash !== -1) target = target.slice(0, hash)
  const q = target.indexOf('?')
  return q === -1 ? { path: target, search: '' } : { path: target.slice(0, q), search: target.slice(q + 1) }
}

/** The path with overlong or overdeep tails folded into one `{str}` segment, so keys stay bounded. */
export function boundedPath(path: string, maxLength: number): string {
  let p = path.length > maxLength ? path.slice(0, maxLength) : path
  let folded = p.length < path.length
  let segments = 0
  for (let i = 0; i < p.length; i++) {
    if (p.charCodeAt(i) === 47 && ++segments > MAX_SEGMENTS) {
      p = p.slice(0, i)
      folded = true
      break
    }
  }
  if (!folded) return p
  const lastSlash = p.lastIndexOf('/')
  return `${lastSlash <= 0 ? '' : p.slice(0, lastSlash)}/{str}`
}

function hostOf(headers: RawHeaders): string {
  const host = first(headers.host).slice(0, MAX_HOST_LENGTH).toLowerCase()
  // Hosts are attacker-controlled: anything beyond the characters of RFC 3986 reg-name/IP-literal
  // and a port is not kept.
  return /^[a-z0-9._~:[\]-]*$/.test(host) ? host : ''
}

function withOptions(options: Partial<ObserveOptions>): ObserveOptions {
  return { ...DEFAULT_OBSERVE_OPTIONS, ...options }
}

/**
 * The observation of one exchange. Never throws on hostile input: undecodable or unparseable
 * bodies are recorded with kind 'invalid' and an error, and cut ones are marked truncated.
 * With a cache, identical bodies share one (read-only) summary instead of being parsed again.
 */
export function observe(exchange: Exchange, options: Partial<ObserveOptions> = {}, cache?: BodyCache): Observation {
  return observeWith(exchange, withOptions(options), cache)
}

/** `observe` with every option already set (the capture's flush loop: no per-exchange merge). */
export function observeWith(exchange: Exchange, o: ObserveOptions, cache?: BodyCache): Observation {
  const method = exchange.method.slice(0, MAX_METHOD_LENGTH).toUpperCase()
  const { path, search } = splitTarget(exchange.url)
  const { pathKey, values } = memoPathKeyOf(boundedPath(path, o.maxPathLength))
  // A query string seen before without credentials has its shape remembered; it then has no
  // credential facts either, so the auth facts come from the headers alone.
  const knownQuery = cache?.queryShape(search)
  let query: Shape
  let auth: ReturnType<typeof authFacts>
  if (knownQuery !== undefined) {
    query = knownQuery
    auth = authFacts(exchange.requestHeaders, NO_FIELDS)
  } else {
    const fields = parseFields(search, o.maxFields)
    const classify = guardedClassify(o.classify)
    query = foldUnsafeKeys(shapeOf(fields.record, { limits: o.shapeLimits, classify }))
    auth = authFacts(exchange.requestHeaders, fields.record)
    if (cache !== undefined && !hasQueryCredential(fields.record)) cache.rememberQuery(search, query)
  }
  const wantExample = o.wantExample(method, pathKey, exchange.status)
  const reqMedia = mediaTypeOf(exchange.requestHeaders['content-type'])
  const resMedia = mediaTypeOf(exchange.responseHeaders['content-type'])
  const streaks = cache?.streaksOf(method, pathKey)
  const request: BodyParseResult = summarizeBody(
    exchange.requestBody,
    exchange.requestHeaders['content-encoding'],
    reqMedia,
    exchange.outcome === 'aborted',
    o,
    wantExample,
    cache,
    streaks?.request,
  )
  const response: BodyParseResult = summarizeBody(
    exchange.responseBody,
    exchange.responseHeaders['content-encoding'],
    resMedia,
    exchange.outcome !== 'ok',
    o,
    wantExample,
    cache,
    streaks?.response,
  )
  const observation: Observation = {
    timeMs: exchange.startMs,
    method: METHOD.test(method) ? method : 'OTHER',
    host: hostOf(exchange.requestHeaders),
    pathKey,
    segmentValues: keptSegmentValues(pathKey, values),
    query,
    requestHeaders: headerShape(exchange.requestHeaders, o.maxHeaderNames),
    responseHeaders: headerShape(exchange.responseHeaders, o.maxHeaderNames),
    auth: auth.facts,
    requestContentType: reqMedia.essence,
    requestBody: request.summary,
    status: exchange.status,
    outcome: exchange.outcome,
    responseContentType: resMedia.essence,
    responseBody: response.summary,
    durationMs: Math.max(0, exchange.endMs - exchange.startMs),
    clientKey: clientKeyOf(o.clientKeySalt, auth.credential, exchange.clientAddress),
  }
  if (wantExample) {
    const redact = { maxChars: o.maxExampleChars, classify: o.classify }
    const example: { request?: string; response?: string } = {}
    if (request.value !== undefined) example.request = redactExample(request.value, redact)
    if (response.value !== undefined) example.response = redactExample(response.value, redact)
    if (example.request !== undefined || example.response !== undefined) observation.example = example
  }
  return observation
}
