// Identical bodies are common (the same resource fetched again, the same error body, the
// same empty list) and give identical summaries, so the pipeline remembers the last few
// hundred by a SHA-256 digest of the wire bytes. The digest, not the bytes, is the key: no
// body (secrets included) outlives its exchange. Cached summaries are shared between
// observations and must be treated as read-only, as all shapes are.
// The digest costs about as much as a small body's decoding, so an endpoint whose bodies keep
// missing (ids, timestamps, prices: most real traffic) stops being looked up, apart from one
// probe in PROBE_EVERY that turns lookups back on when it hits. Skipping only costs a parse.
import { hash } from 'node:crypto'
import type { Shape } from '../infer/index.js'
import type { BodySummary } from './observation.js'

/** Bodies larger than this are summarised every time: big bodies rarely repeat byte for byte. */
export const MAX_CACHED_BODY_BYTES = 16 * 1024

/** Consecutive misses of one endpoint and direction before its bodies are no longer looked up. */
export const MISS_STREAK = 32
/** While lookups are off, one body in this many is still looked up. */
export const PROBE_EVERY = 32
const MAX_TRACKED_ENDPOINTS = 1024
/** Query strings whose shape is remembered, and the longest one remembered. */
const MAX_QUERIES = 512
export const MAX_CACHED_QUERY_CHARS = 256

/** The cache's record of one endpoint's bodies in one direction. */
export class BodyStreak {
  misses = 0
  skipped = 0

  /** Whether this body should be looked up (false: summarise it without hashing). */
  wantsLookup(): boolean {
    if (this.misses < MISS_STREAK) return true
    if (++this.skipped < PROBE_EVERY) return false
    this.skipped = 0
    return true
  }

  noteLookup(hit: boolean): void {
    this.misses = hit ? 0 : this.misses + 1
  }
}

export interface EndpointStreaks {
  request: BodyStreak
  response: BodyStreak
}

export class BodyCache {
  readonly #entries = new Map<string, BodySummary>()
  readonly #maxEntries: number
  readonly #streaks = new Map<string, EndpointStreaks>()
  readonly #queries = new Map<string, Shape>()
  hits = 0
  misses = 0
  /** bodies summarised without a lookup because their endpoint's bodies kept missing */
  skipped = 0

  constructor(maxEntries = 512) {
    this.#maxEntries = maxEntries
  }

  /** The cache key of a body: what changes its summary (media type, encoding, completeness) and its digest. */
  keyOf(bytes: Buffer, context: string): string {
    return `${context}\n${hash('sha256', bytes, 'base64')}`
  }

  /**
   * The shape of a query string seen before (only strings without credential parameters are
   * remembered, see rememberQuery). Query shapes, like body summaries, are shared and read-only.
   */
  queryShape(search: string): Shape | undefined {
    return this.#queries.get(search)
  }

  /** Remembers the shape of a short query string that carries no credential. */
  rememberQuery(search: string, shape: Shape): void {
    if (search.length > MAX_CACHED_QUERY_CHARS) return
    if (this.#queries.size >= MAX_QUERIES) this.#queries.clear()
    this.#queries.set(search, shape)
  }

  /** The hit/miss record of an endpoint's bodies (bounded: forgotten all at once when full). */
  streaksOf(method: string, pathKey: string): EndpointStreaks {
    const id = `${method} ${pathKey}`
    let streaks = this.#streaks.get(id)
    if (streaks === undefined) {
      if (this.#streaks.size >= MAX_TRACKED_ENDPOINTS) this.#streaks.clear()
      streaks = { request: new BodyStreak(), response: new BodyStreak() }
      this.#streaks.set(id, streaks)
    }
    return streaks
  }

  get(key: string): BodySummary | undefined {
    const hit = this.#entries.get(key)
    if (hit === undefined) this.misses++
    else this.hits++
    return hit
  }

  set(key: string, summary: BodySummary): void {
    // Oldest-first eviction: a Map iterates in insertion order.
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next()
      if (oldest.done !== true) this.#entries.delete(oldest.value)
    }
    this.#entries.set(key, summary)
  }
}
