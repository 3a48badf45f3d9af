// The SQLite shape store: aggregates observations per endpoint and exchange kind, so the file
// grows with distinct shapes, not with requests. Every write is a read-merge-write of the
// aggregates in aggregate.ts inside one transaction; every cap keeps the smallest members of the
// union and folds the rest into an overflow bucket, so the rows depend only on what was
// observed, not on the order (which is what makes `mergeStores` exact).
import { randomBytes, randomUUID } from 'node:crypto'
import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import type Database from 'better-sqlite3'
import type { Observation } from '../capture/observation.js'
import type { StoreConfig } from '../config.js'
import type { Shape } from '../infer/index.js'
import { BottomK } from './bottom-k.js'
import {
  addCounts,
  accumulateExchange,
  addExchange,
  aggregateObservations,
  capEndpoint,
  capHosts,
  compareCodePoints,
  compareExamples,
  cutExamples,
  DEFAULT_STORE_LIMITS,
  exchangeKey,
  type EndpointAgg,
  type ExampleAgg,
  type ExchangeAgg,
  FOLDED_SEGMENT,
  keptContentTypes,
  newMap,
  OVERFLOW_CONTENT_TYPE,
  OVERFLOW_PATH_KEY,
  rekeyContentTypes,
  type StoreLimits,
} from './aggregate.js'
import type { Inventory, ObservedEndpoint, ObservedExchange } from './inventory.js'
import { type Migration, openDatabase } from './migrate.js'
import { canonicalJson, parseCountsJson, parseShapeJson } from './shape-json.js'
import { toStoreError } from './sqlite-errors.js'
import { storeUnavailable, usageError } from '../errors.js'

export interface StoreOptions {
  /** database file; created (and migrated) when missing */
  path: string
  limits?: Partial<StoreLimits>
  /** how long a write waits for another connection's lock before failing with SPECTER_ERR_STORE_UNAVAILABLE */
  busyTimeoutMs?: number
  /** refuse to create a missing file */
  fileMustExist?: boolean
  /** clock for created_ms */
  now?: () => number
  migrations?: Migration[]
}

export interface StoreStats {
  path: string
  /** main file plus WAL, in bytes */
  fileBytes: number
  walBytes: number
  /** rows per table, every table in the file (sibling modules' included), by name */
  rows: Record<string, number>
  endpoints: number
  /** distinct shape texts across queries, headers and bodies */
  distinctShapes: number
  observations: number
  overflow: Record<string, number>
  schemaVersion: number
  instanceId: string
  createdMs: number
}

interface EndpointRow {
  id: number
  method: string
  path_key: string
  count: number
  first_seen_ms: number
  last_seen_ms: number
  folded: number
  hosts: string
}

interface ExchangeRow {
  id: number
  status: number
  outcome: string
  request_content_type: string
  response_content_type: string
  count: number
  first_seen_ms: number
  last_seen_ms: number
  query: string
  request_headers: string
  response_headers: string
  request_body: string | null
  response_body: string | null
  auth: string
  request_kinds: string
  response_kinds: string
  request_truncated: number
  response_truncated: number
  duration_us_sum: number
  duration_us_max: number
}

interface ExampleRow {
  status: number
  time_ms: number
  request: string | null
  response: string | null
}

interface Landed {
  method: string
  /** as captured, before folding */
  pathKey: string
  statuses: Set<number>
  id: number
}

/** Parsed exchange rows kept between batches (a few KiB each). */
const EXCHANGE_CACHE_ENTRIES = 512

const isPlaceholder = (seg: string) => seg.length >= 3 && seg.startsWith('{') && seg.endsWith('}')

const parseCounts = parseCountsJson

const countsToJson = (m: Record<string, number>) => {
  const sorted: Record<string, number> = newMap()
  for (const k of Object.keys(m).sort(compareCodePoints)) sorted[k] = m[k] as number
  return JSON.stringify(sorted)
}

const optionalShape = (s: Shape | undefined) => (s === undefined ? null : canonicalJson(s))

function exchangeFromRow(r: ExchangeRow): ExchangeAgg {
  const e: ExchangeAgg = {
    status: r.status,
    outcome: r.outcome as ExchangeAgg['outcome'],
    requestContentType: r.request_content_type,
    responseContentType: r.response_content_type,
    count: r.count,
    firstSeenMs: r.first_seen_ms,
    lastSeenMs: r.last_seen_ms,
    query: parseShapeJson(r.query),
    requestHeaders: parseShapeJson(r.request_headers),
    responseHeaders: parseShapeJson(r.response_headers),
    auth: parseCounts(r.auth),
    requestKinds: parseCounts(r.request_kinds),
    responseKinds: parseCounts(r.response_kinds),
    requestTruncated: r.request_truncated,
    responseTruncated: r.response_truncated,
    durationUsSum: r.duration_us_sum,
    durationUsMax: r.duration_us_max,
  }
  if (r.request_body !== null) e.requestBody = parseShapeJson(r.request_body)
  if (r.response_body !== null) e.responseBody = parseShapeJson(r.response_body)
  return e
}

function exampleFromRow(r: ExampleRow): ExampleAgg {
  const e: ExampleAgg = { status: r.status, timeMs: r.time_ms }
  if (r.request !== null) e.request = r.request
  if (r.response !== null) e.response = r.response
  return e
}

/** Exchange-row cache keys start with their endpoint's id: an endpoint's rows are found by this prefix. */
const cachePrefix = (endpointId: number) => `${endpointId}\u0000`

/** Path key of a literal's subtree: [base, base + '/' ... base + '0') in byte order, '0' being '/' + 1. */
const subtree = (base: string) => [base, `${base}/`, `${base}0`] as const

/**
 * (status, method, path key) triples remembered as holding all their examples. A hint that saves the
 * capture building examples nobody keeps; emptied when full. A stream of new paths (scanners) adds a
 * triple per path: 100,000 of them held ~12 MB, this many ~1 MB.
 */
const FULL_EXAMPLE_HINTS = 10_000

/** The shape store over one SQLite file. Not safe to share between threads; one writer per file. */
export class Store {
  readonly path: string
  readonly limits: Readonly<StoreLimits>
  /** random id of this store, created once */
  readonly instanceId: string
  /** random key for client-key HMACs, created once; never leaves the file */
  readonly salt: Buffer
  readonly createdMs: number
  readonly #db: Database.Database
  readonly #fullExamples = new Set<string>()
  /**
   * Parsed exchange rows most recently written, by endpoint id and exchange key, so that a hot
   * row is not parsed back on every batch. Mirrors the committed rows: cleared when a write
   * fails, when rows move or are deleted, and when another connection has committed
   * (PRAGMA data_version), e.g. a `specter merge` into this file.
   */
  readonly #exchangeCache = new Map<string, { id: number; agg: ExchangeAgg }>()
  /**
   * Cache keys whose row changed in this transaction and is not written yet: a row that many merges
   * touch in one batch (a folded endpoint under a flood of new paths) is serialised once, at the
   * end of the transaction, or before anything reads the table for its endpoint.
   */
  readonly #dirty = new Set<string>()
  #dataVersion = -1
  readonly #s: ReturnType<typeof prepare>

  constructor(options: StoreOptions) {
    this.path = options.path
    this.limits = Object.freeze({ ...DEFAULT_STORE_LIMITS, ...options.limits })
    const openOptions: Parameters<typeof openDatabase>[1] = { busyTimeoutMs: options.busyTimeoutMs ?? 100 }
    if (options.fileMustExist !== undefined) openOptions.fileMustExist = options.fileMustExist
    if (options.migrations !== undefined) openOptions.migrations = options.migrations
    this.#db = openDatabase(options.path, openOptions)
    try {
      this.#s = prepare(this.#db)
      const now = options.now ?? Date.now
      this.#db.transaction(() => {
        this.#s.metaInit.run('instance_id', randomUUID())
        this.#s.metaInit.run('salt', randomBytes(32).toString('hex'))
        this.#s.metaInit.run('created_ms', String(Math.trunc(now())))
      })()
      const meta = new Map(
        (this.#s.metaAll.all() as Array<{ key: string; value: string }>).map((r) => [r.key, r.value] as const),
      )
      this.instanceId = meta.get('instance_id') as string
      this.salt = Buffer.from(meta.get('salt') as string, 'hex')
      this.createdMs = Number(meta.get('created_ms'))
    } catch (err) {
      this.#db.close()
      throw toStoreError(err, options.path)
    }
  }

  /** The underlying connection, for sibling modules that own their own tables and migrations. */
  get database(): Database.Database {
    return this.#db
  }

  /**
   * Aggregates a batch in memory, then writes it in one transaction. On SQLITE_FULL, READONLY,
   * BUSY or I/O errors throws SPECTER_ERR_STORE_UNAVAILABLE with nothing of the batch written;
   * the store stays usable and the same batch may be recorded again later.
   */
  record(observations: readonly Observation[]): void {
    if (observations.length === 0) return
    this.apply(this.aggregate(observations))
  }

  /** The in-memory aggregate of a batch, as record() writes it (no I/O); apply() writes it. */
  aggregate(observations: readonly Observation[]): EndpointAgg[] {
    return aggregateObservations(observations, this.limits)
  }

  /**
   * Writes batch aggregates (from aggregate(), here or in another store) in one transaction,
   * exactly as record() would; `alongside` runs inside that transaction first (the scale-out
   * pipeline's outbox and applied set), and its throw rolls everything back. Consumes `aggs`.
   */
  apply(aggs: EndpointAgg[], alongside?: (db: Database.Database) => void): void {
    if (!this.#db.open) throw storeUnavailable(this.path, new Error('the store is closed'))
    const landed: Landed[] = []
    try {
      // IMMEDIATE: the write lock first, then the cache check sees every commit before ours.
      this.#db
        .transaction(() => {
          this.#checkDataVersion()
          alongside?.(this.#db)
          for (const agg of aggs) {
            const { method, pathKey } = agg
            const statuses = new Set(agg.examples.map((e) => e.status))
            landed.push({ method, pathKey, statuses, id: this.#absorb(agg, false) })
          }
          this.#writeDirty()
        })
        .immediate()
    } catch (err) {
      this.#dropCache()
      throw toStoreError(err, this.path)
    }
    this.#noteFullExamples(landed)
  }

  /**
   * False when the endpoint already holds its examples for this status, so the capture can skip
   * building one. A hint only: keyed by the path key as captured.
   */
  wantsExample(method: string, pathKey: string, status: number): boolean {
    return !this.#fullExamples.has(`${status} ${method} ${pathKey}`)
  }

  #checkDataVersion(): void {
    const v = this.#db.pragma('data_version', { simple: true }) as number
    if (v !== this.#dataVersion) this.#dropCache()
    this.#dataVersion = v
  }

  #noteFullExamples(landed: Landed[]): void {
    if (this.#fullExamples.size > FULL_EXAMPLE_HINTS) this.#fullExamples.clear()
    for (const { method, pathKey, statuses, id } of landed) {
      for (const status of statuses) {
        const n = (this.#s.exampleCount.get(id, status) as { n: number } | undefined)?.n ?? 0
        if (n >= this.limits.examplesPerStatus) this.#fullExamples.add(`${status} ${method} ${pathKey}`)
      }
    }
  }

  /** Folds the path, admits the endpoint under the cap, merges the aggregate in; returns the endpoint id. */
  #absorb(agg: EndpointAgg, forceFolded: boolean): number {
    if (agg.pathKey !== OVERFLOW_PATH_KEY) {
      // Fast path: an endpoint stored under exactly this key has every literal of it kept (a
      // literal pushed out moves its whole subtree), so the path folds to itself.
      if (!forceFolded) {
        const existing = this.#s.endpointByKey.get(agg.pathKey, agg.method) as EndpointRow | undefined
        if (existing !== undefined) return this.#mergeInto(existing, agg)
      }
      const { key, folded } = this.#fold(agg.pathKey)
      if (folded || forceFolded) agg.folded = agg.count
      agg.pathKey = key
      const segs = key.split('/')
      for (const i of [...agg.segments.keys()]) {
        const seg = segs[i + 1]
        if (seg === undefined || !isPlaceholder(seg) || seg === FOLDED_SEGMENT) agg.segments.delete(i)
      }
      const row = this.#admitEndpoint(agg.method, key)
      if (row !== null) return this.#mergeInto(row, agg)
      agg.pathKey = OVERFLOW_PATH_KEY
    }
    agg.segments.clear()
    const other = this.#s.endpointByKey.get(OVERFLOW_PATH_KEY, agg.method) as EndpointRow | undefined
    return this.#mergeInto(other, agg)
  }

  /** Applies the depth and literal-sibling caps along the path; may fold other endpoints. */
  #fold(pathKey: string): { key: string; folded: boolean } {
    let segs = pathKey.startsWith('/') ? pathKey.slice(1).split('/') : [pathKey]
    let folded = false
    if (segs.length > this.limits.maxPathSegments) {
      segs = [...segs.slice(0, this.limits.maxPathSegments - 1), FOLDED_SEGMENT]
      folded = true
    }
    let prefix = ''
    for (const seg of segs) {
      if (isPlaceholder(seg)) {
        prefix += `/${seg}`
      } else if (this.#admitLiteral(prefix, seg)) {
        prefix += `/${seg}`
      } else {
        prefix += `/${FOLDED_SEGMENT}`
        folded = true
      }
    }
    return { key: prefix, folded }
  }

  /** Keeps the smallest literals under a parent; a literal pushed out takes its subtree into `{str}`. */
  #admitLiteral(parent: string, seg: string): boolean {
    if (this.#s.literalHas.get(parent, seg) !== undefined) return true
    // SQLite compares TEXT by its UTF-8 bytes, which orders as code points do (compareCodePoints).
    const { n, max } = this.#s.literalsCountMax.get(parent) as { n: number; max: string | null }
    if (n < this.limits.maxLiteralSiblings || max === null) {
      this.#s.literalInsert.run(parent, seg)
      return true
    }
    if (compareCodePoints(seg, max) > 0) return false
    this.#s.literalDelete.run(parent, max)
    this.#s.literalInsert.run(parent, seg)
    this.#evictLiteral(parent, max)
    return true
  }

  #evictLiteral(parent: string, literal: string): void {
    const base = `${parent}/${literal}`
    const range = subtree(base)
    this.#s.literalsDeleteUnder.run(...range)
    // Load and delete the whole subtree before re-absorbing any of it: re-absorbing may push
    // endpoints out under the endpoint cap, and must never meet a row that is already moved.
    const moved = (this.#s.endpointsUnder.all(...range) as EndpointRow[]).map((row) => {
      const agg = this.#load(row)
      this.#s.endpointDelete.run(row.id)
      this.#forgetCached(row.id)
      agg.pathKey = `${parent}/${FOLDED_SEGMENT}${row.path_key.slice(base.length)}`
      return agg
    })
    for (const agg of moved) this.#absorb(agg, true)
  }

  /** The endpoint row to merge into (undefined: a new one), or null when it goes to the overflow endpoint. */
  #admitEndpoint(method: string, key: string): EndpointRow | undefined | null {
    const row = this.#s.endpointByKey.get(key, method) as EndpointRow | undefined
    if (row !== undefined) return row
    const n = (this.#s.endpointCount.get(OVERFLOW_PATH_KEY) as { n: number }).n
    if (n < this.limits.maxEndpoints) return undefined
    const max = this.#s.endpointMax.get(OVERFLOW_PATH_KEY) as EndpointRow | undefined
    if (max === undefined) return null
    const c = compareCodePoints(key, max.path_key) || compareCodePoints(method, max.method)
    if (c > 0) return null
    const evicted = this.#load(max)
    this.#s.endpointDelete.run(max.id)
    this.#forgetCached(max.id)
    evicted.pathKey = OVERFLOW_PATH_KEY
    evicted.segments.clear()
    this.#mergeInto(this.#s.endpointByKey.get(OVERFLOW_PATH_KEY, max.method) as EndpointRow | undefined, evicted)
    return undefined
  }

  /**
   * Drops the cached rows of one endpoint whose rows were deleted (its id may be given to the next
   * new endpoint: SQLite reuses the largest rowid). Other endpoints' entries stay valid.
   */
  #forgetCached(endpointId: number): void {
    const prefix = cachePrefix(endpointId)
    for (const key of this.#exchangeCache.keys()) {
      if (key.startsWith(prefix)) {
        this.#exchangeCache.delete(key)
        this.#dirty.delete(key)
      }
    }
  }

  /** Forgets every cached row, written or not (the transaction that changed them rolled back). */
  #dropCache(): void {
    this.#exchangeCache.clear()
    this.#dirty.clear()
  }

  /** Writes the changed rows still in the cache: all of them, or one endpoint's. */
  #writeDirty(endpointId?: number): void {
    if (this.#dirty.size === 0) return
    const prefix = endpointId === undefined ? '' : cachePrefix(endpointId)
    for (const key of this.#dirty) {
      if (!key.startsWith(prefix)) continue
      this.#writeRow(this.#exchangeCache.get(key) as { id: number; agg: ExchangeAgg })
      this.#dirty.delete(key)
    }
  }

  #writeRow(cached: { id: number; agg: ExchangeAgg }): void {
    this.#s.exchangeUpdate.run(...exchangeParams(0, cached.agg).slice(5), cached.id)
  }

  /** Reads an endpoint's whole aggregate. */
  #load(row: EndpointRow): EndpointAgg {
    this.#writeDirty(row.id)
    const segments = new Map<number, BottomK>()
    for (const s of this.#s.segmentsOf.all(row.id) as Array<{ idx: number; sample: string }>) {
      segments.set(s.idx, BottomK.of(this.limits.segmentSampleSize, JSON.parse(s.sample) as string[]))
    }
    const exchanges = new Map<string, ExchangeAgg>()
    for (const r of this.#s.exchangesOf.all(row.id) as ExchangeRow[]) addExchange(exchanges, exchangeFromRow(r))
    return {
      method: row.method,
      pathKey: row.path_key,
      count: row.count,
      firstSeenMs: row.first_seen_ms,
      lastSeenMs: row.last_seen_ms,
      folded: row.folded,
      hosts: parseCounts(row.hosts),
      segments,
      exchanges,
      examples: (this.#s.examplesOf.all(row.id) as ExampleRow[]).map(exampleFromRow),
    }
  }

  /** Read-merge-write of one endpoint's aggregate; touches only the rows the aggregate names. */
  #mergeInto(row: EndpointRow | undefined, agg: EndpointAgg): number {
    let id: number
    let exchanges = agg.exchanges
    if (row === undefined) {
      capEndpoint(agg, this.limits)
      exchanges = agg.exchanges
      id = Number(
        this.#s.endpointInsert.run(
          agg.method,
          agg.pathKey,
          agg.count,
          agg.firstSeenMs,
          agg.lastSeenMs,
          agg.folded,
          countsToJson(agg.hosts),
        ).lastInsertRowid,
      )
    } else {
      id = row.id
      const hosts = capHosts(addCounts(parseCounts(row.hosts), agg.hosts), this.limits.maxHostsPerEndpoint)
      this.#s.endpointUpdate.run(
        row.count + agg.count,
        Math.min(row.first_seen_ms, agg.firstSeenMs),
        Math.max(row.last_seen_ms, agg.lastSeenMs),
        row.folded + agg.folded,
        countsToJson(hosts),
        id,
      )
      exchanges = this.#capContentTypes(id, agg.exchanges)
    }
    for (const e of exchanges.values()) {
      const cacheKey = cachePrefix(id) + exchangeKey(e.status, e.outcome, e.requestContentType, e.responseContentType)
      let cached = this.#exchangeCache.get(cacheKey)
      if (cached === undefined) {
        const prev = this.#s.exchangeByKey.get(id, e.status, e.outcome, e.requestContentType, e.responseContentType) as
          | ExchangeRow
          | undefined
        if (prev === undefined) {
          this.#s.exchangeInsert.run(...exchangeParams(id, e))
          continue
        }
        cached = { id: prev.id, agg: exchangeFromRow(prev) }
      } else {
        // most recently used last: the oldest entry is the one dropped when full
        this.#exchangeCache.delete(cacheKey)
      }
      accumulateExchange(cached.agg, e)
      this.#exchangeCache.set(cacheKey, cached)
      this.#dirty.add(cacheKey)
      if (this.#exchangeCache.size > EXCHANGE_CACHE_ENTRIES) {
        const oldest = this.#exchangeCache.keys().next().value as string
        if (this.#dirty.delete(oldest))
          this.#writeRow(this.#exchangeCache.get(oldest) as { id: number; agg: ExchangeAgg })
        this.#exchangeCache.delete(oldest)
      }
    }
    for (const [idx, sample] of agg.segments) {
      const prev = this.#s.segmentGet.pluck().get(id, idx) as string | undefined
      const merged =
        prev === undefined
          ? sample
          : BottomK.of(this.limits.segmentSampleSize, JSON.parse(prev) as string[]).merge(sample)
      const json = JSON.stringify(merged.values)
      // Once the sample holds k values it changes rarely (a new value must hash below all k).
      if (json !== prev) this.#s.segmentUpsert.run(id, idx, json)
    }
    if (agg.examples.length > 0) {
      for (const status of new Set(agg.examples.map((e) => e.status))) {
        const stored = (this.#s.examplesOfStatus.all(id, status) as ExampleRow[]).map(exampleFromRow)
        const incoming = agg.examples.filter((e) => e.status === status)
        const kept = cutExamples([...stored, ...incoming], this.limits.examplesPerStatus)
        // Rewrite only when an incoming example made the cut.
        if (incoming.some((e) => kept.includes(e))) {
          this.#s.examplesDeleteStatus.run(id, status)
          for (const e of kept) this.#s.exampleInsert.run(id, e.status, e.timeMs, e.request ?? null, e.response ?? null)
        }
      }
    }
    return id
  }

  /**
   * Applies the content-type cap against what the endpoint already holds: stored rows of a type
   * pushed out of the cap are read, deleted and merged back under OVERFLOW_CONTENT_TYPE.
   */
  #capContentTypes(id: number, incoming: Map<string, ExchangeAgg>): Map<string, ExchangeAgg> {
    const cap = this.limits.maxContentTypesPerEndpoint
    const stored = this.#s.contentTypesOf.all(id) as Array<{
      requestContentType: string
      responseContentType: string
    }>
    const keep = keptContentTypes([...stored, ...incoming.values()], cap)
    if (keep === undefined) return incoming
    this.#writeDirty(id)
    const pulled: ExchangeAgg[] = []
    const evict = (rows: ExchangeRow[]) => {
      for (const r of rows) {
        this.#s.exchangeDelete.run(r.id)
        this.#forgetCached(id)
        pulled.push(exchangeFromRow(r))
      }
    }
    const reqStored = new Set(stored.map((t) => t.requestContentType))
    const resStored = new Set(stored.map((t) => t.responseContentType))
    for (const t of reqStored)
      if (!keep.request.has(t) && t !== OVERFLOW_CONTENT_TYPE)
        evict(this.#s.exchangesOfRequestType.all(id, t) as ExchangeRow[])
    for (const t of resStored)
      if (!keep.response.has(t) && t !== OVERFLOW_CONTENT_TYPE)
        evict(this.#s.exchangesOfResponseType.all(id, t) as ExchangeRow[])
    return rekeyContentTypes([...pulled, ...incoming.values()], keep)
  }

  /** Every endpoint aggregate, for merging into another store. */
  *endpointAggregates(): Generator<EndpointAgg> {
    for (const row of this.#s.endpointsAll.all() as EndpointRow[]) yield this.#load(row)
  }

  /** The kept literal children per parent prefix. */
  pathLiterals(): Array<{ parent: string; segment: string }> {
    return this.#s.literalsAll.all() as Array<{ parent: string; segment: string }>
  }

  /**
   * Merges another store into this one, exactly: the result equals one store that observed
   * both stores' traffic (see mergeStores). One transaction; returns the rows read.
   * `alsoMerge` runs last inside the same transaction, for tables other modules own; it returns its rows read.
   */
  mergeFrom(source: Store, alsoMerge?: () => number): { endpoints: number; rows: number } {
    if (source === this || resolve(source.path) === resolve(this.path)) {
      throw usageError(`cannot merge the store ${this.path} into itself`)
    }
    let endpoints = 0
    let rows = 0
    try {
      this.#db
        .transaction(() => {
          this.#checkDataVersion()
          // Literals first: the sibling sets must be those of the union of the observed paths,
          // including paths whose endpoints went to the overflow bucket.
          for (const l of source.pathLiterals()) {
            this.#fold(`${l.parent}/${l.segment}`)
            rows++
          }
          for (const agg of source.endpointAggregates()) {
            endpoints++
            rows += 1 + agg.exchanges.size + agg.segments.size + agg.examples.length
            this.#absorb(agg, false)
          }
          this.#writeDirty()
          if (alsoMerge !== undefined) rows += alsoMerge()
        })
        .immediate()
    } catch (err) {
      this.#dropCache()
      throw toStoreError(err, this.path)
    }
    this.#fullExamples.clear()
    return { endpoints, rows }
  }

  /** The aggregated read model, sorted deterministically. */
  inventory(): Inventory {
    const exchanges = new Map<number, ObservedExchange[]>()
    for (const r of this.#s.exchangesAll.all() as Array<ExchangeRow & { endpoint_id: number }>) {
      const e = exchangeFromRow(r)
      const o: ObservedExchange = {
        status: e.status,
        outcome: e.outcome,
        requestContentType: e.requestContentType,
        responseContentType: e.responseContentType,
        count: e.count,
        firstSeenMs: e.firstSeenMs,
        lastSeenMs: e.lastSeenMs,
        query: e.query,
        requestHeaders: e.requestHeaders,
        responseHeaders: e.responseHeaders,
        auth: e.auth,
        requestKinds: e.requestKinds,
        responseKinds: e.responseKinds,
        requestTruncated: e.requestTruncated,
        responseTruncated: e.responseTruncated,
        durationMsSum: e.durationUsSum / 1000,
        durationMsMax: e.durationUsMax / 1000,
      }
      if (e.requestBody !== undefined) o.requestBody = e.requestBody
      if (e.responseBody !== undefined) o.responseBody = e.responseBody
      pushTo(exchanges, r.endpoint_id, o)
    }
    const segments = new Map<number, ObservedEndpoint['segments']>()
    for (const s of this.#s.segmentsAll.all() as Array<{ endpoint_id: number; idx: number; sample: string }>) {
      const sketch = BottomK.of(this.limits.segmentSampleSize, JSON.parse(s.sample) as string[])
      pushTo(segments, s.endpoint_id, {
        index: s.idx,
        values: [...sketch.values].sort(compareCodePoints),
        distinct: sketch.distinct(),
      })
    }
    const examples = new Map<number, ObservedEndpoint['examples']>()
    for (const r of this.#s.examplesAll.all() as Array<ExampleRow & { endpoint_id: number }>) {
      pushTo(examples, r.endpoint_id, exampleFromRow(r))
    }
    const overflow = { endpoints: 0, pathSegments: 0, hosts: 0, contentTypes: 0 }
    const endpoints: ObservedEndpoint[] = []
    for (const row of this.#s.endpointsAll.all() as EndpointRow[]) {
      const hosts = parseCounts(row.hosts)
      const hostNames = Object.keys(hosts).sort(compareCodePoints)
      overflow.hosts += row.count - hostNames.reduce((sum, h) => sum + (hosts[h] as number), 0)
      overflow.pathSegments += row.folded
      if (row.path_key === OVERFLOW_PATH_KEY) overflow.endpoints += row.count
      const ex = exchanges.get(row.id) ?? []
      for (const e of ex) {
        if (e.requestContentType === OVERFLOW_CONTENT_TYPE || e.responseContentType === OVERFLOW_CONTENT_TYPE) {
          overflow.contentTypes += e.count
        }
      }
      endpoints.push({
        method: row.method,
        pathKey: row.path_key,
        hosts: hostNames,
        count: row.count,
        firstSeenMs: row.first_seen_ms,
        lastSeenMs: row.last_seen_ms,
        segments: segments.get(row.id) ?? [],
        exchanges: ex,
        examples: (examples.get(row.id) ?? []).sort(compareExamples),
      })
    }
    return { endpoints, overflow }
  }

  /** Figures for `specter db stats`. */
  stats(): StoreStats {
    const tables = this.#db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[]
    const rows: Record<string, number> = {}
    for (const t of tables) {
      rows[t] = this.#db
        .prepare(`SELECT count(*) FROM "${t.replaceAll('"', '""')}"`)
        .pluck()
        .get() as number
    }
    const size = (f: string) => {
      try {
        return statSync(f).size
      } catch {
        return 0
      }
    }
    const walBytes = size(`${this.path}-wal`)
    const totals = this.#db
      .prepare(`SELECT count(*) AS endpoints, coalesce(sum(count), 0) AS observations FROM endpoint`)
      .get() as { endpoints: number; observations: number }
    const distinctShapes = this.#db
      .prepare(
        `SELECT count(*) FROM (
           SELECT query AS s FROM exchange UNION SELECT request_headers FROM exchange
           UNION SELECT response_headers FROM exchange UNION SELECT request_body FROM exchange WHERE request_body IS NOT NULL
           UNION SELECT response_body FROM exchange WHERE response_body IS NOT NULL)`,
      )
      .pluck()
      .get() as number
    return {
      path: this.path,
      fileBytes: size(this.path) + walBytes,
      walBytes,
      rows,
      endpoints: totals.endpoints,
      distinctShapes,
      observations: totals.observations,
      overflow: this.#overflow(),
      schemaVersion: this.#db.pragma('user_version', { simple: true }) as number,
      instanceId: this.instanceId,
      createdMs: this.createdMs,
    }
  }

  /** Inventory.overflow, computed in SQL (stats must stay cheap on a large store). */
  #overflow(): Inventory['overflow'] {
    const get = (sql: string, ...params: string[]) =>
      (this.#db
        .prepare(sql)
        .pluck()
        .get(...params) as number | null) ?? 0
    const count = get('SELECT sum(count) FROM endpoint')
    const kept = get('SELECT sum(j.value) FROM endpoint AS e, json_each(e.hosts) AS j')
    return {
      endpoints: get('SELECT sum(count) FROM endpoint WHERE path_key = ?', OVERFLOW_PATH_KEY),
      pathSegments: get('SELECT sum(folded) FROM endpoint'),
      hosts: count - kept,
      contentTypes: get(
        'SELECT sum(count) FROM exchange WHERE request_content_type = ? OR response_content_type = ?',
        OVERFLOW_CONTENT_TYPE,
        OVERFLOW_CONTENT_TYPE,
      ),
    }
  }

  close(): void {
    if (this.#db.open) this.#db.close()
  }
}

function pushTo<T>(m: Map<number, T[]>, id: number, v: T): void {
  const list = m.get(id)
  if (list === undefined) m.set(id, [v])
  else list.push(v)
}

/** Column values of an exchange row: the five key columns (after endpoint_id) first. */
function exchangeParams(endpointId: number, e: ExchangeAgg) {
  return [
    endpointId,
    e.status,
    e.outcome,
    e.requestContentType,
    e.responseContentType,
    e.count,
    e.firstSeenMs,
    e.lastSeenMs,
    canonicalJson(e.query),
    canonicalJson(e.requestHeaders),
    canonicalJson(e.responseHeaders),
    optionalShape(e.requestBody),
    optionalShape(e.responseBody),
    countsToJson(e.auth),
    countsToJson(e.requestKinds),
    countsToJson(e.responseKinds),
    e.requestTruncated,
    e.responseTruncated,
    e.durationUsSum,
    e.durationUsMax,
  ] as const
}

const EXCHANGE_VALUES = `count, first_seen_ms, last_seen_ms, query, request_headers, response_headers,
  request_body, response_body, auth, request_kinds, response_kinds, request_truncated, response_truncated,
  duration_us_sum, duration_us_max`

function prepare(db: Database.Database) {
  return {
    metaInit: db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)'),
    metaAll: db.prepare('SELECT key, value FROM meta'),
    endpointByKey: db.prepare('SELECT * FROM endpoint WHERE path_key = ? AND method = ?'),
    endpointInsert: db.prepare(
      'INSERT INTO endpoint (method, path_key, count, first_seen_ms, last_seen_ms, folded, hosts) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    endpointUpdate: db.prepare(
      'UPDATE endpoint SET count = ?, first_seen_ms = ?, last_seen_ms = ?, folded = ?, hosts = ? WHERE id = ?',
    ),
    endpointDelete: db.prepare('DELETE FROM endpoint WHERE id = ?'),
    endpointCount: db.prepare('SELECT count(*) AS n FROM endpoint WHERE path_key != ?'),
    endpointMax: db.prepare('SELECT * FROM endpoint WHERE path_key != ? ORDER BY path_key DESC, method DESC LIMIT 1'),
    endpointsUnder: db.prepare('SELECT * FROM endpoint WHERE path_key = ? OR (path_key >= ? AND path_key < ?)'),
    endpointsAll: db.prepare('SELECT * FROM endpoint ORDER BY path_key, method'),
    literalHas: db.prepare('SELECT 1 FROM path_literal WHERE parent = ? AND segment = ?'),
    literalsCountMax: db.prepare('SELECT count(*) AS n, max(segment) AS max FROM path_literal WHERE parent = ?'),
    literalInsert: db.prepare('INSERT INTO path_literal (parent, segment) VALUES (?, ?)'),
    literalDelete: db.prepare('DELETE FROM path_literal WHERE parent = ? AND segment = ?'),
    literalsDeleteUnder: db.prepare('DELETE FROM path_literal WHERE parent = ? OR (parent >= ? AND parent < ?)'),
    literalsAll: db.prepare('SELECT parent, segment FROM path_literal ORDER BY parent, segment'),
    exchangeByKey: db.prepare(
      `SELECT * FROM exchange WHERE endpoint_id = ? AND status = ? AND outcome = ?
         AND request_content_type = ? AND response_content_type = ?`,
    ),
    exchangeInsert: db.prepare(
      `INSERT INTO exchange (endpoint_id, status, outcome, request_content_type, response_content_type, ${EXCHANGE_VALUES})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    exchangeUpdate: db.prepare(
      `UPDATE exchange SET (${EXCHANGE_VALUES}) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?`,
    ),
    exchangeDelete: db.prepare('DELETE FROM exchange WHERE id = ?'),
    exchangesOf: db.prepare('SELECT * FROM exchange WHERE endpoint_id = ?'),
    exchangesOfRequestType: db.prepare('SELECT * FROM exchange WHERE endpoint_id = ? AND request_content_type = ?'),
    exchangesOfResponseType: db.prepare('SELECT * FROM exchange WHERE endpoint_id = ? AND response_content_type = ?'),
    contentTypesOf: db.prepare(
      `SELECT DISTINCT request_content_type AS requestContentType, response_content_type AS responseContentType
       FROM exchange WHERE endpoint_id = ?`,
    ),
    exchangesAll: db.prepare(
      `SELECT * FROM exchange
       ORDER BY endpoint_id, status, outcome, request_content_type, response_content_type`,
    ),
    segmentGet: db.prepare('SELECT sample FROM segment_sample WHERE endpoint_id = ? AND idx = ?'),
    segmentUpsert: db.prepare(
      `INSERT INTO segment_sample (endpoint_id, idx, sample) VALUES (?, ?, ?)
       ON CONFLICT (endpoint_id, idx) DO UPDATE SET sample = excluded.sample`,
    ),
    segmentsOf: db.prepare('SELECT idx, sample FROM segment_sample WHERE endpoint_id = ?'),
    segmentsAll: db.prepare('SELECT endpoint_id, idx, sample FROM segment_sample ORDER BY endpoint_id, idx'),
    exampleInsert: db.prepare(
      'INSERT INTO example (endpoint_id, status, time_ms, request, response) VALUES (?, ?, ?, ?, ?)',
    ),
    examplesOf: db.prepare('SELECT status, time_ms, request, response FROM example WHERE endpoint_id = ?'),
    examplesOfStatus: db.prepare(
      'SELECT status, time_ms, request, response FROM example WHERE endpoint_id = ? AND status = ?',
    ),
    examplesDeleteStatus: db.prepare('DELETE FROM example WHERE endpoint_id = ? AND status = ?'),
    exampleCount: db.prepare('SELECT count(*) AS n FROM example WHERE endpoint_id = ? AND status = ?'),
    examplesAll: db.prepare('SELECT endpoint_id, status, time_ms, request, response FROM example'),
  }
}

/** Store options from the `store` config section; a relative path resolves against `cwd`. */
export function storeOptionsFromConfig(config: StoreConfig, cwd: string): StoreOptions {
  return {
    path: resolve(cwd, config.path),
    busyTimeoutMs: config.busyTimeoutMs,
    limits: { maxEndpoints: config.maxEndpoints, maxLiteralSiblings: config.maxLiteralSiblings },
  }
}

/** Opens (creating and migrating when needed) the shape store at `options.path`. */
export function openStore(options: StoreOptions): Store {
  return new Store(options)
}
