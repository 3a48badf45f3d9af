// In-memory aggregates of observations, one per endpoint, and their exact merge. Every field
// is a sum, a min/max, a lattice merge or a bounded set that keeps the smallest members of the
// union (overflow re-keyed, never dropped), so aggregating then merging in any grouping or order
// gives the same result. The store writes exactly these aggregates.
import type { Observation } from '../capture/observation.js'
import { mergeShapes, type Shape } from '../infer/index.js'
import { BottomK } from './bottom-k.js'
import type { ObservedExample, ObservedExchange } from './inventory.js'
import { accumulateShape, cloneShape } from './shape-accumulator.js'

export interface StoreLimits {
  /** endpoints (method + path key) before new ones fold into the method's overflow endpoint */
  maxEndpoints: number
  /** literal children kept under one parent path before the rest fold into `{str}` */
  maxLiteralSiblings: number
  /** path segments kept; the rest of a longer path folds into one `{str}` */
  maxPathSegments: number
  /** distinct hosts kept per endpoint */
  maxHostsPerEndpoint: number
  /** distinct request (and, separately, response) content types kept per endpoint */
  maxContentTypesPerEndpoint: number
  /** k of the bottom-k sample of raw values per placeholder segment */
  segmentSampleSize: number
  /** earliest examples kept per endpoint and status */
  examplesPerStatus: number
}

export const DEFAULT_STORE_LIMITS: Readonly<StoreLimits> = Object.freeze({
  maxEndpoints: 5000,
  maxLiteralSiblings: 200,
  maxPathSegments: 32,
  maxHostsPerEndpoint: 16,
  maxContentTypesPerEndpoint: 8,
  segmentSampleSize: 64,
  examplesPerStatus: 3,
})

/** Path key of the per-method overflow endpoint. Braces never survive in a captured segment, so no request can collide. */
export const OVERFLOW_PATH_KEY = '/{other}'
/** Content type that stands for every content type beyond the per-endpoint cap. */
export const OVERFLOW_CONTENT_TYPE = '{other}'
/** What a literal segment beyond the sibling cap becomes. */
export const FOLDED_SEGMENT = '{str}'

/** An exchange of the read model, with durations in integer microseconds: integer sums are exact in any order, float sums are not. */
export type ExchangeAgg = Omit<ObservedExchange, 'durationMsSum' | 'durationMsMax'> & {
  durationUsSum: number
  durationUsMax: number
}

export type ExampleAgg = ObservedExample

export interface EndpointAgg {
  method: string
  pathKey: string
  count: number
  firstSeenMs: number
  lastSeenMs: number
  /** observations whose path had a literal folded by the sibling or depth cap */
  folded: number
  /** host -> count, the smallest hosts up to the cap; observations of other hosts are count - sum */
  hosts: Record<string, number>
  segments: Map<number, BottomK>
  exchanges: Map<string, ExchangeAgg>
  /** sorted by compareExamples, at most examplesPerStatus per status */
  examples: ExampleAgg[]
}

/**
 * Code-point order (what SQLite's BINARY collation gives for UTF-8 text), unlike `<` on
 * UTF-16 strings. Every cap keeps the smallest members in this order.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    // Surrogates (D800-DFFF) encode code points above FFFF: move them above E000-FFFF.
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000
    return x - y
  }
  return a.length - b.length
}

export function newMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>
}

/** Adds counts into a fresh map with sorted keys. */
export function addCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  const out = newMap<number>()
  for (const k of [...keys].sort(compareCodePoints)) {
    out[k] = (Object.hasOwn(a, k) ? (a[k] as number) : 0) + (Object.hasOwn(b, k) ? (b[k] as number) : 0)
  }
  return out
}

export function exchangeKey(status: number, outcome: string, requestContentType: string, responseContentType: string) {
  return `${status}\u0000${outcome}\u0000${requestContentType}\u0000${responseContentType}`
}

const keyOf = (e: ExchangeAgg) => exchangeKey(e.status, e.outcome, e.requestContentType, e.responseContentType)

function mergeOptionalShape(a: Shape | undefined, b: Shape | undefined): Shape | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  return mergeShapes(a, b)
}

/** Merges two aggregates of the same exchange key (the key fields are taken from `a`). */
export function mergeExchange(a: ExchangeAgg, b: ExchangeAgg): ExchangeAgg {
  const out: ExchangeAgg = {
    status: a.status,
    outcome: a.outcome,
    requestContentType: a.requestContentType,
    responseContentType: a.responseContentType,
    count: a.count + b.count,
    firstSeenMs: Math.min(a.firstSeenMs, b.firstSeenMs),
    lastSeenMs: Math.max(a.lastSeenMs, b.lastSeenMs),
    query: mergeShapes(a.query, b.query),
    requestHeaders: mergeShapes(a.requestHeaders, b.requestHeaders),
    responseHeaders: mergeShapes(a.responseHeaders, b.responseHeaders),
    auth: addCounts(a.auth, b.auth),
    requestKinds: addCounts(a.requestKinds, b.requestKinds),
    responseKinds: addCounts(a.responseKinds, b.responseKinds),
    requestTruncated: a.requestTruncated + b.requestTruncated,
    responseTruncated: a.responseTruncated + b.responseTruncated,
    durationUsSum: a.durationUsSum + b.durationUsSum,
    durationUsMax: Math.max(a.durationUsMax, b.durationUsMax),
  }
  const requestBody = mergeOptionalShape(a.requestBody, b.requestBody)
  if (requestBody !== undefined) out.requestBody = requestBody
  const responseBody = mergeOptionalShape(a.responseBody, b.responseBody)
  if (responseBody !== undefined) out.responseBody = responseBody
  return out
}

/**
 * Adds `b` into `a` in place (equal to mergeExchange(a, b)). Every shape and map of `a` must be
 * owned by the caller (e.g. freshly parsed from the store); `b` is only read.
 */
export function accumulateExchange(a: ExchangeAgg, b: ExchangeAgg): void {
  a.count += b.count
  if (b.firstSeenMs < a.firstSeenMs) a.firstSeenMs = b.firstSeenMs
  if (b.lastSeenMs > a.lastSeenMs) a.lastSeenMs = b.lastSeenMs
  accumulateShape(a.query, b.query)
  accumulateShape(a.requestHeaders, b.requestHeaders)
  accumulateShape(a.responseHeaders, b.responseHeaders)
  if (b.requestBody !== undefined) {
    a.requestBody =
      a.requestBody === undefined ? cloneShape(b.requestBody) : accumulateShape(a.requestBody, b.requestBody)
  }
  if (b.responseBody !== undefined) {
    a.responseBody =
      a.responseBody === undefined ? cloneShape(b.responseBody) : accumulateShape(a.responseBody, b.responseBody)
  }
  for (const [into, from] of [
    [a.auth, b.auth],
    [a.requestKinds, b.requestKinds],
    [a.responseKinds, b.responseKinds],
  ] as const) {
    for (const k of Object.keys(from))
      into[k] = (Object.hasOwn(into, k) ? (into[k] as number) : 0) + (from[k] as number)
  }
  a.requestTruncated += b.requestTruncated
  a.responseTruncated += b.responseTruncated
  a.durationUsSum += b.durationUsSum
  if (b.durationUsMax > a.durationUsMax) a.durationUsMax = b.durationUsMax
}

/** Adds an exchange aggregate into a map keyed by exchange key. */
export function addExchange(into: Map<string, ExchangeAgg>, e: ExchangeAgg): void {
  const key = keyOf(e)
  const prev = into.get(key)
  into.set(key, prev === undefined ? e : mergeExchange(prev, e))
}

/** Total order on examples: earliest first, then by content, so that ties cut the same everywhere. */
export function compareExamples(a: ExampleAgg, b: ExampleAgg): number {
  if (a.status !== b.status) return a.status - b.status
  if (a.timeMs !== b.timeMs) return a.timeMs - b.timeMs
  return compareOptional(a.request, b.request) || compareOptional(a.response, b.response)
}

function compareOptional(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0
  if (a === undefined) return -1
  if (b === undefined) return 1
  return compareCodePoints(a, b)
}

/** Keeps the earliest `perStatus` examples of each status, sorted. */
export function cutExamples(examples: ExampleAgg[], perStatus: number): ExampleAgg[] {
  const sorted = [...examples].sort(compareExamples)
  const out: ExampleAgg[] = []
  let status = Number.NaN
  let kept = 0
  for (const e of sorted) {
    if (e.status !== status) {
      status = e.status
      kept = 0
    }
    if (kept < perStatus) {
      out.push(e)
      kept++
    }
  }
  return out
}

/** The smallest `cap` members of a set, in code-point order. */
export function smallest(values: Iterable<string>, cap: number): Set<string> {
  return new Set([...new Set(values)].sort(compareCodePoints).slice(0, cap))
}

/**
 * Applies the per-endpoint caps in place: hosts and content types beyond the cap (the smallest
 * members of the union are kept), examples beyond the earliest N per status. Exchanges of a
 * content type beyond the cap are re-keyed to OVERFLOW_CONTENT_TYPE and merged, not dropped.
 */
export function capEndpoint(agg: EndpointAgg, limits: StoreLimits): void {
  agg.hosts = capHosts(agg.hosts, limits.maxHostsPerEndpoint)
  const keep = keptContentTypes([...agg.exchanges.values()], limits.maxContentTypesPerEndpoint)
  if (keep !== undefined) agg.exchanges = rekeyContentTypes(agg.exchanges.values(), keep)
  agg.examples = cutExamples(agg.examples, limits.examplesPerStatus)
}

/** Keeps the `cap` smallest hosts; the others' observations show as count minus the kept sum. */
export function capHosts(hosts: Record<string, number>, cap: number): Record<string, number> {
  const names = Object.keys(hosts)
  if (names.length <= cap) return hosts
  const out = newMap<number>()
  for (const h of smallest(names, cap)) out[h] = hosts[h] as number
  return out
}

export interface KeptContentTypes {
  request: Set<string>
  response: Set<string>
}

/** The content types to keep, or undefined when neither side is over the cap. */
export function keptContentTypes(
  exchanges: Iterable<{ requestContentType: string; responseContentType: string }>,
  cap: number,
): KeptContentTypes | undefined {
  const req = new Set<string>()
  const res = new Set<string>()
  for (const e of exchanges) {
    if (e.requestContentType !== OVERFLOW_CONTENT_TYPE) req.add(e.requestContentType)
    if (e.responseContentType !== OVERFLOW_CONTENT_TYPE) res.add(e.responseContentType)
  }
  if (req.size <= cap && res.size <= cap) return undefined
  return { request: smallest(req, cap), response: smallest(res, cap) }
}

export function rekeyContentTypes(exchanges: Iterable<ExchangeAgg>, keep: KeptContentTypes): Map<string, ExchangeAgg> {
  const out = new Map<string, ExchangeAgg>()
  for (const e of exchanges) {
    const requestContentType = keep.request.has(e.requestContentType) ? e.requestContentType : OVERFLOW_CONTENT_TYPE
    const responseContentType = keep.response.has(e.responseContentType) ? e.responseContentType : OVERFLOW_CONTENT_TYPE
    addExchange(out, { ...e, requestContentType, responseContentType })
  }
  return out
}

/** Merges `b` into a new aggregate with `a`'s method and path key, caps applied. */
export function mergeEndpoint(a: EndpointAgg, b: EndpointAgg, limits: StoreLimits): EndpointAgg {
  const segments = new Map<number, BottomK>()
  for (const [i, s] of a.segments) segments.set(i, BottomK.of(limits.segmentSampleSize, s.values))
  for (const [i, s] of b.segments) {
    const prev = segments.get(i)
    if (prev === undefined) segments.set(i, BottomK.of(limits.segmentSampleSize, s.values))
    else prev.merge(s)
  }
  const exchanges = new Map<string, ExchangeAgg>(a.exchanges)
  for (const e of b.exchanges.values()) addExchange(exchanges, e)
  const out: EndpointAgg = {
    method: a.method,
    pathKey: a.pathKey,
    count: a.count + b.count,
    firstSeenMs: Math.min(a.firstSeenMs, b.firstSeenMs),
    lastSeenMs: Math.max(a.lastSeenMs, b.lastSeenMs),
    folded: a.folded + b.folded,
    hosts: capHosts(addCounts(a.hosts, b.hosts), limits.maxHostsPerEndpoint),
    segments,
    exchanges,
    examples: [...a.examples, ...b.examples],
  }
  capEndpoint(out, limits)
  return out
}

const wholeMs = (ms: number) => (Number.isFinite(ms) ? Math.trunc(ms) : 0)

function increment(m: Record<string, number>, key: string): void {
  m[key] = (Object.hasOwn(m, key) ? (m[key] as number) : 0) + 1
}

/** A fresh exchange aggregate of count 0 for the observation's key. */
function emptyExchange(o: Observation, timeMs: number): ExchangeAgg {
  return {
    status: o.status,
    outcome: o.outcome,
    requestContentType: o.requestContentType,
    responseContentType: o.responseContentType,
    count: 0,
    firstSeenMs: timeMs,
    lastSeenMs: timeMs,
    // Owned empty shapes: the batch's shapes are accumulated in place (see shape-accumulator.ts).
    query: { n: 0 },
    requestHeaders: { n: 0 },
    responseHeaders: { n: 0 },
    auth: newMap(),
    requestKinds: newMap(),
    responseKinds: newMap(),
    requestTruncated: 0,
    responseTruncated: 0,
    durationUsSum: 0,
    durationUsMax: 0,
  }
}

/**
 * The shapes of a batch-local exchange aggregate not yet added, by identity, with how often each
 * came. The capture shares one shape object between identical header sets and identical bodies
 * (its caches), so a batch adds each of those once, multiplied (exact: see shape-accumulator.ts).
 */
interface ShapeTally {
  query: Map<Shape, number>
  requestHeaders: Map<Shape, number>
  responseHeaders: Map<Shape, number>
  requestBody: Map<Shape, number>
  responseBody: Map<Shape, number>
}

const newTally = (): ShapeTally => ({
  query: new Map(),
  requestHeaders: new Map(),
  responseHeaders: new Map(),
  requestBody: new Map(),
  responseBody: new Map(),
})

function tally(m: Map<Shape, number>, s: Shape): void {
  m.set(s, (m.get(s) ?? 0) + 1)
}

function addTallied(into: Shape | undefined, shapes: Map<Shape, number>): Shape | undefined {
  let acc = into
  for (const [s, times] of shapes) acc = acc === undefined ? cloneShape(s, times) : accumulateShape(acc, s, times)
  return acc
}

/** Adds the tallied shapes into their exchange aggregate. */
function settleTally(e: ExchangeAgg, t: ShapeTally): void {
  addTallied(e.query, t.query)
  addTallied(e.requestHeaders, t.requestHeaders)
  addTallied(e.responseHeaders, t.responseHeaders)
  const requestBody = addTallied(e.requestBody, t.requestBody)
  if (requestBody !== undefined) e.requestBody = requestBody
  const responseBody = addTallied(e.responseBody, t.responseBody)
  if (responseBody !== undefined) e.responseBody = responseBody
}

/** Adds one observation into a batch-local exchange aggregate (the hot loop of `record`); shapes go to its tally. */
function accumulate(e: ExchangeAgg, t: ShapeTally, o: Observation, timeMs: number): void {
  tally(t.query, o.query)
  tally(t.requestHeaders, o.requestHeaders)
  tally(t.responseHeaders, o.responseHeaders)
  e.count++
  if (timeMs < e.firstSeenMs) e.firstSeenMs = timeMs
  if (timeMs > e.lastSeenMs) e.lastSeenMs = timeMs
  const reqShape = o.requestBody.shape
  if (reqShape !== undefined) tally(t.requestBody, reqShape)
  const resShape = o.responseBody.shape
  if (resShape !== undefined) tally(t.responseBody, resShape)
  const auth = o.auth
  if (auth.length === 0) increment(e.auth, 'none')
  else if (auth.length === 1) increment(e.auth, auth[0] as string)
  else for (const f of new Set(auth)) increment(e.auth, f)
  increment(e.requestKinds, o.requestBody.kind)
  increment(e.responseKinds, o.responseBody.kind)
  if (o.requestBody.truncated) e.requestTruncated++
  if (o.responseBody.truncated) e.responseTruncated++
  const durationUs = Number.isFinite(o.durationMs) ? Math.max(0, Math.round(o.durationMs * 1000)) : 0
  e.durationUsSum += durationUs
  if (durationUs > e.durationUsMax) e.durationUsMax = durationUs
}

// Defensive bounds on what the capture already bounds (segment values, redacted examples).
const MAX_VALUE_CHARS = 256
const MAX_EXAMPLE_CHARS = 64 * 1024

/** Aggregates a batch of observations per endpoint (method + path key as captured), caps applied. */
export function aggregateObservations(observations: readonly Observation[], limits: StoreLimits): EndpointAgg[] {
  const byEndpoint = new Map<string, EndpointAgg>()
  const tallies = new Map<ExchangeAgg, ShapeTally>()
  for (const raw of observations) {
    // A malformed status would fail the STRICT columns on every retry of the batch: fold it to 0.
    const o = Number.isInteger(raw.status) && raw.status >= 0 && raw.status <= 999 ? raw : { ...raw, status: 0 }
    const id = `${o.method} ${o.pathKey}`
    const timeMs = wholeMs(o.timeMs)
    let agg = byEndpoint.get(id)
    if (agg === undefined) {
      agg = {
        method: o.method,
        pathKey: o.pathKey,
        count: 0,
        firstSeenMs: timeMs,
        lastSeenMs: timeMs,
        folded: 0,
        hosts: newMap(),
        segments: new Map(),
        exchanges: new Map(),
        examples: [],
      }
      byEndpoint.set(id, agg)
    }
    agg.count++
    if (timeMs < agg.firstSeenMs) agg.firstSeenMs = timeMs
    if (timeMs > agg.lastSeenMs) agg.lastSeenMs = timeMs
    agg.hosts[o.host] = (Object.hasOwn(agg.hosts, o.host) ? (agg.hosts[o.host] as number) : 0) + 1
    for (const [index, value] of o.segmentValues) {
      if (!Number.isInteger(index) || index < 0 || index >= limits.maxPathSegments || value.length > MAX_VALUE_CHARS) {
        continue
      }
      let s = agg.segments.get(index)
      if (s === undefined) {
        s = new BottomK(limits.segmentSampleSize)
        agg.segments.set(index, s)
      }
      s.add(value)
    }
    const key = exchangeKey(o.status, o.outcome, o.requestContentType, o.responseContentType)
    let e = agg.exchanges.get(key)
    let t: ShapeTally | undefined
    if (e === undefined) {
      e = emptyExchange(o, timeMs)
      agg.exchanges.set(key, e)
      t = newTally()
      tallies.set(e, t)
    } else {
      t = tallies.get(e) as ShapeTally
    }
    accumulate(e, t, o, timeMs)
    if (
      o.example !== undefined &&
      (o.example.request !== undefined || o.example.response !== undefined) &&
      (o.example.request?.length ?? 0) <= MAX_EXAMPLE_CHARS &&
      (o.example.response?.length ?? 0) <= MAX_EXAMPLE_CHARS
    ) {
      const ex: ExampleAgg = { status: o.status, timeMs }
      if (o.example.request !== undefined) ex.request = o.example.request
      if (o.example.response !== undefined) ex.response = o.example.response
      agg.examples.push(ex)
    }
  }
  for (const [e, t] of tallies) settleTally(e, t)
  const out = [...byEndpoint.values()]
  for (const agg of out) capEndpoint(agg, limits)
  return out
}
