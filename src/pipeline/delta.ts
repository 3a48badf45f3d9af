// A delta: one capture batch's per-endpoint aggregates (Store.aggregate), stamped with the
// proxy's instance id and a gap-free sequence number, serialised as deflated JSON. Applying the
// deltas of N proxies into one store equals one store that observed all the traffic, because
// they are exactly what each proxy's own store applied (see src/store/aggregate.ts).
// Version 2 adds `es`, snapshots of object-enumeration suspect rows (src/pipeline/suspects.ts).
// A delta is stamped with the lowest version that holds it: endpoint deltas stay version 1, so a
// collector not yet upgraded keeps merging traffic during a rolling upgrade; readers take 1 and 2.
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { deltaInvalid } from '../errors.js'
import { BottomK, type EndpointAgg, type ExampleAgg, type ExchangeAgg } from '../store/index.js'
import type { SuspectRow } from './suspects.js'

/** The newest delta format this Specter writes and reads. */
export const DELTA_VERSION = 2
/** Versions decodeDelta accepts: 1 (endpoints only) and 2 (endpoints and enumeration suspects). */
export const READABLE_DELTA_VERSIONS: readonly number[] = Object.freeze([1, 2])

/** The header of a delta, what the collector needs before merging. */
export interface DeltaHeader {
  instanceId: string
  seq: number
  createdMs: number
  /** observations the delta carries (the sum of its endpoints' counts) */
  observations: number
}

export interface Delta extends DeltaHeader {
  /** the format it came in (1 or 2) */
  version: number
  endpoints: EndpointAgg[]
  /** object-enumeration suspect rows, as their proxy last stored them (version 2; empty in 1) */
  suspects: SuspectRow[]
}

/** A suspect row on the wire: [client, method, path key, max distinct, window, peers, peer median, limit, reason, first, last, hits]. */
type WireSuspect = [string, string, string, number, number, number, number, number, string, number, number, number]

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
  es?: WireSuspect[]
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

/** Splits JSON items, in order, into groups of about `maxBytes` each (an item is never split). */
function groupJson(items: readonly string[], maxBytes: number): string[][] {
  const groups: string[][] = []
  let current: string[] = []
  let bytes = 0
  for (const json of items) {
    if (current.length > 0 && bytes + json.length > maxBytes) {
      groups.push(current)
      current = []
      bytes = 0
    }
    current.push(json)
    bytes += json.length + 1
  }
  if (current.length > 0) groups.push(current)
  return groups
}

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
  const groups = groupJson(
    endpoints.map((a) => JSON.stringify(toWire(a))),
    maxBytes,
  )
  const counts: number[] = []
  let i = 0
  for (const g of groups) {
    counts.push(observationsOf(endpoints.slice(i, i + g.length)))
    i += g.length
  }
  return groups.map(
    (g, n) => (seq: number) =>
      deflateRawSync(
        // Version 1: nothing here needs 2 (see the top of this file).
        `{"v":1,"i":${JSON.stringify(header.instanceId)},"q":${seq},"t":${Math.trunc(header.createdMs)},"o":${counts[n] as number},"ep":[${g.join(',')}]}`,
      ),
  )
}

const suspectToWire = (r: SuspectRow): WireSuspect => [
  r.clientKey,
  r.method,
  r.pathKey,
  r.maxDistinct,
  r.windowMs,
  r.peers,
  r.peerMedian,
  r.limit,
  r.reason,
  r.firstSeenMs,
  r.lastSeenMs,
  r.hits,
]

/**
 * Serialises suspect rows into version 2 deltas without endpoints (0 observations), split like
 * encodeDeltas at about `maxBytes` of JSON each.
 */
export function encodeSuspectDeltas(
  rows: readonly SuspectRow[],
  header: Omit<DeltaHeader, 'seq' | 'observations'>,
  maxBytes: number,
): Array<(seq: number) => Buffer> {
  const groups = groupJson(
    rows.map((r) => JSON.stringify(suspectToWire(r))),
    maxBytes,
  )
  return groups.map(
    (g) => (seq: number) =>
      deflateRawSync(
        `{"v":${DELTA_VERSION},"i":${JSON.stringify(header.instanceId)},"q":${seq},"t":${Math.trunc(header.createdMs)},"o":0,"ep":[],"es":[${g.join(',')}]}`,
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

const MAX_KEY_CHARS = 4096

function suspectFromWire(w: unknown, where: string): SuspectRow {
  const r = w as unknown[]
  const str = (i: number) => typeof r[i] === 'string' && (r[i] as string).length <= MAX_KEY_CHARS
  const nonNegInt = (i: number) => isInt(r[i]) && (r[i] as number) >= 0
  if (
    !Array.isArray(r) ||
    r.length !== 12 ||
    !str(0) ||
    !str(1) ||
    !str(2) ||
    ![3, 4, 5, 7, 9, 10, 11].every(nonNegInt) ||
    typeof r[6] !== 'number' ||
    !Number.isFinite(r[6]) ||
    (r[8] !== 'threshold' && r[8] !== 'peers')
  ) {
    throw deltaInvalid(where, 'a suspect row is malformed')
  }
  return {
    clientKey: r[0] as string,
    method: r[1] as string,
    pathKey: r[2] as string,
    maxDistinct: r[3] as number,
    windowMs: r[4] as number,
    peers: r[5] as number,
    peerMedian: r[6] as number,
    limit: r[7] as number,
    reason: r[8] as 'threshold' | 'peers',
    firstSeenMs: r[9] as number,
    lastSeenMs: r[10] as number,
    hits: r[11] as number,
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
  if (typeof w.v !== 'number' || !READABLE_DELTA_VERSIONS.includes(w.v)) {
    throw deltaInvalid(where, `version ${String(w.v)}; this Specter reads ${READABLE_DELTA_VERSIONS.join(' and ')}`)
  }
  if (w.v === 1 && w.es !== undefined) throw deltaInvalid(where, 'version 1 carries no suspects')
  if (typeof w.i !== 'string' || w.i.length === 0 || w.i.length > 128) throw deltaInvalid(where, 'no instance id')
  if (!isInt(w.q) || w.q < 1) throw deltaInvalid(where, 'the seq is not a positive integer')
  if (!isInt(w.t) || !isInt(w.o) || !Array.isArray(w.ep)) throw deltaInvalid(where, 'no time, count or endpoints')
  const endpoints = w.ep.map((e) => fromWire(e, options.segmentSampleSize, `${where} (${w.i}#${w.q})`))
  if (observationsOf(endpoints) !== w.o) throw deltaInvalid(where, 'the observation count does not add up')
  if (w.es !== undefined && !Array.isArray(w.es)) throw deltaInvalid(where, 'the suspects are not a list')
  const suspects = (w.es ?? []).map((r) => suspectFromWire(r, `${where} (${w.i}#${w.q})`))
  return { version: w.v, instanceId: w.i, seq: w.q, createdMs: w.t, observations: w.o, endpoints, suspects }
}
