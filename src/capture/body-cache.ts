// Identical bodies are common (the same resource fetched again, the same error body, the
// same empty list) and give identical summaries, so the pipeline remembers the last few
// hundred by a SHA-256 digest of the wire bytes. The digest, not the bytes, is the key: no
// body (secrets included) outlives its exchange. Cached summaries are shared between
// observations and must be treated as read-only, as all shapes are.
import { hash } from 'node:crypto'
import type { BodySummary } from './observation.js'

/** Bodies larger than this are summarised every time: big bodies rarely repeat byte for byte. */
export const MAX_CACHED_BODY_BYTES = 16 * 1024

export class BodyCache {
  readonly #entries = new Map<string, BodySummary>()
  readonly #maxEntries: number
  hits = 0
  misses = 0

  constructor(maxEntries = 512) {
    this.#maxEntries = maxEntries
  }

  /** The cache key of a body: what changes its summary (media type, encoding, completeness) and its digest. */
  keyOf(bytes: Buffer, context: string): string {
    return `${context}\n${hash('sha256', bytes, 'base64')}`
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
