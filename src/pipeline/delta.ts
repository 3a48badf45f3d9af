// A delta: one capture batch's per-endpoint aggregates (Store.aggregate), stamped with the
// proxy's instance id and a gap-free sequence number, serialised as deflated JSON. Applying the
// deltas of N proxies into one store equals one store that observed all the traffic, because
// they are exactly what each proxy's own store applied (see src/store/aggregate.ts).
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { deltaInvalid } from '../errors.js'
import { BottomK, type EndpointAgg, type ExampleAgg, type ExchangeAgg } from '../store/index.js'

export const DELTA_VERSION = 1

/** The header of a delta, what the collector needs before merging. */
export interface DeltaHeader {
  instanceId: string
  seq: number
  createdMs: number
  /** observations the delta carries (the sum of its endpoints' counts) */
  observations: number
}

export interface Delta extends DeltaHeader {
  endpoints: EndpointAgg[]
}

interface WireEndpoint {
  m: string
  p: string
  c: number
  f: number
  l: number
  fo: number
  h: Record<string, number>
  s: Array<[number, string[]]>
  x: ExchangeAgg[]
  e: ExampleAgg[]
}

interface WireDelta {
  v: number
  i: string
  q: number
  t: number
  o: number
  ep: WireEndpoint[]
}

const toWire = (a: EndpointAgg): WireEndpoint => ({
  m: a.method,
  p: a.pathKey,
  c: a.count,
  f: a.firstSeenMs,
  l: a.lastSeenMs,
  fo: a.folded,
  h: a.hosts,
  s: [...a.segments].map(([i, s]) => [i, s.values]),
  x: [...a.exchanges.values()],
  e: a.examples,
})

/** Observations carried by a set of endpoint aggregates. */
export const observationsOf = (endpoints: readonly EndpointAgg[]): number =>
  endpoints.reduce((sum, a) => sum + a.count, 0)

/**
 * Serialises endpoint aggregates into one or more delta bodies of at most about `maxBytes` of
 * JSON each (NATS refuses messages above its max_payload; 1 MiB by default). Endpoints are never
 * split: an endpoint aggregate is bounded by the store's caps. Seqs are assigned by the outbox.
 */
export function encodeDeltas(
  endpoints: readonly EndpointAgg[],
  header: Omit<DeltaHeader, 'seq' | 'observations'>,
  maxBytes: number,
): Array<(seq: number) => Buffer> {
  const groups: string[][] = []
  let current: string[] = []
  let bytes = 0
  for (const a of endpoints) {
    const json = JSON.stringify(toWire(a))
    if (current.length > 0 && bytes + json.length > maxBytes) {
      groups.push(current)
      current = []
      bytes = 0
    }
    current.push(json)
    bytes += json.length + 1
  }
  if (current.length > 0) groups.push(current)
  const counts: number[] = []
  let i = 0
  for (const g of groups) {
    counts.push(observationsOf(endpoints.slice(i, i + g.length)))
    i += g.length
  }
  return groups.map(
    (g, n) => (seq: number) =>
      deflateRawSync(
        `{"v":${DELTA_VERSION},"i":${JSON.stringify(header.instanceId)},"q":${seq},"t":${Math.trunc(header.createdMs)},"o":${counts[n] as number},"ep":[${g.join(',')}]}`,
      ),
  )
}

/** JSON objects read back with a null prototype: keys come from observed traffic (header names, JSON keys). */
function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const out = Object.create(null) as Record<string, unknown>
    for (const k of Object.keys(value)) out[k] = (value as Record<string, unknown>)[k]
    return out
  }
  return value
}

const isInt = (v: unknown): v is number => Number.isSafeInteger(v)
const isCounts = (v: unknown): v is Record<string, number> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every(isInt)
const isShape = (v: unknown): boolean =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && isInt((v as { n?: unknown }).n)

function checkExchange(x: unknown, where: string): ExchangeAgg {
  const e = x as Record<string, unknown>
  const ints = ['status', 'count', 'firstSeenMs', 'lastSeenMs', 'requestTruncated', 'responseTruncated'] as const
  for (const k of [...ints, 'durationUsSum', 'durationUsMax'] as const) {
    if (!isInt(e[k])) throw deltaInvalid(where, `${k} is not an integer`)
  }
  for (const k of ['outcome', 'requestContentType', 'responseContentType'] as const) {
    if (typeof e[k] !== 'string') throw deltaInvalid(where, `${k} is not a string`)
  }
  for (const k of ['query', 'requestHeaders', 'responseHeaders'] as const) {
    if (!isShape(e[k])) throw deltaInvalid(where, `${k} is not a shape`)
  }
  for (const k of ['requestBody', 'responseBody'] as const) {
    if (e[k] !== undefined && !isShape(e[k])) throw deltaInvalid(where, `${k} is not a shape`)
  }
  for (const k of ['auth', 'requestKinds', 'responseKinds'] as const) {
    if (!isCounts(e[k])) throw deltaInvalid(where, `${k} is not a count map`)
  }
  return e as unknown as ExchangeAgg
}

function fromWire(w: unknown, segmentSampleSize: number, where: string): EndpointAgg {
  const e = w as Partial<WireEndpoint> | null
  if (e === null || typeof e !== 'object') throw deltaInvalid(where, 'an endpoint is not an object')
  if (typeof e.m !== 'string' || typeof e.p !== 'string' || !e.p.startsWith('/')) {
    throw deltaInvalid(where, 'an endpoint has no method or path key')
  }
  if (!isInt(e.c) || !isInt(e.f) || !isInt(e.l) || !isInt(e.fo) || !isCounts(e.h)) {
    throw deltaInvalid(where, `endpoint ${e.m} ${e.p} has a bad count, time or host map`)
  }
  if (!Array.isArray(e.s) || !Array.isArray(e.x) || !Array.isArray(e.e)) {
    throw deltaInvalid(where, `endpoint ${e.m} ${e.p} lacks segments, exchanges or examples`)
  }
  const segments = new Map<number, BottomK>()
  for (const s of e.s) {
    if (!Array.isArray(s) || !isInt(s[0]) || !Array.isArray(s[1]) || !s[1].every((v) => typeof v === 'string')) {
      throw deltaInvalid(where, `endpoint ${e.m} ${e.p} has a bad segment sample`)
    }
    segments.set(s[0], BottomK.of(segmentSampleSize, s[1] as string[]))
  }
  const exchanges = new Map<string, ExchangeAgg>()
  for (const x of e.x) {
    const ex = checkExchange(x, `${where} ${e.m} ${e.p}`)
    exchanges.set(`${ex.status}\u0000${ex.outcome}\u0000${ex.requestContentType}\u0000${ex.responseContentType}`, ex)
  }
  const examples: ExampleAgg[] = []
  for (const x of e.e as unknown[]) {
    const ex = x as Partial<ExampleAgg> | null
    if (ex === null || typeof ex !== 'object' || !isInt(ex.status) || !isInt(ex.timeMs)) {
      throw deltaInvalid(where, `endpoint ${e.m} ${e.p} has a bad example`)
    }
    if (
      (ex.request !== undefined && typeof ex.request !== 'string') ||
      (ex.response !== undefined && typeof ex.response !== 'string')
    ) {
      throw deltaInvalid(where, `endpoint ${e.m} ${e.p} has a bad example body`)
    }
    examples.push(ex as ExampleAgg)
  }
  return {
    method: e.m,
    pathKey: e.p,
    count: e.c,
    firstSeenMs: e.f,
    lastSeenMs: e.l,
    folded: e.fo,
    hosts: e.h,
    segments,
    exchanges,
    examples,
  }
}

export interface DecodeOptions {
  /** k of the receiving store's segment samples */
  segmentSampleSize: number
  /** refuse bodies that inflate beyond this (a bomb, or not a delta) */
  maxInflatedBytes: number
}

/** Parses and checks a delta body; throws SPECTER_ERR_DELTA_INVALID naming `where` (e.g. the stream seq). */
export function decodeDelta(body: Uint8Array, where: string, options: DecodeOptions): Delta {
  let w: Partial<WireDelta> | null
  try {
    const text = inflateRawSync(body, { maxOutputLength: options.maxInflatedBytes }).toString('utf8')
    w = JSON.parse(text, reviver) as Partial<WireDelta> | null
  } catch (err) {
    throw deltaInvalid(where, 'not deflated JSON within the size limit', err)
  }
  if (w === null || typeof w !== 'object') throw deltaInvalid(where, 'not an object')
  if (w.v !== DELTA_VERSION) throw deltaInvalid(where, `version ${String(w.v)}; this Specter reads ${DELTA_VERSION}`)
  if (typeof w.i !== 'string' || w.i.length === 0 || w.i.length > 128) throw deltaInvalid(where, 'no instance id')
  if (!isInt(w.q) || w.q < 1) throw deltaInvalid(where, 'the seq is not a positive integer')
  if (!isInt(w.t) || !isInt(w.o) || !Array.isArray(w.ep)) throw deltaInvalid(where, 'no time, count or endpoints')
  const endpoints = w.ep.map((e) => fromWire(e, options.segmentSampleSize, `${where} (${w.i}#${w.q})`))
  if (observationsOf(endpoints) !== w.o) throw deltaInvalid(where, 'the observation count does not add up')
  return { instanceId: w.i, seq: w.q, createdMs: w.t, observations: w.o, endpoints }
}
