// NOT PURE: the one file of src/security that does I/O. Writes and reads the object-enumeration
// suspects (migrations/0003_security.sql) through a better-sqlite3 handle it is given
// (`store.database`). Exported from index.ts; it imports only the driver's types, so importing the
// module loads no SQLite. Statements are prepared once; writes are one
// transaction per call; the table is bounded by `maxRows` (least recently seen rows go first).
import type Database from 'better-sqlite3'
import { SpecterError, storeUnavailable } from '../errors.js'
import type { EnumerationSuspect, EnumerationTracker } from './enumeration-tracker.js'
import type { EnumerationEvent } from './security-facts.js'

export interface EnumerationStoreOptions {
  /** rows kept at most; the least recently seen are deleted beyond it */
  maxRows: number
}

export const DEFAULT_ENUMERATION_STORE_OPTIONS: Readonly<EnumerationStoreOptions> = Object.freeze({ maxRows: 10_000 })

/** One enumeration_suspect row as SQLite returns it (the pipeline ships these too). */
export interface EnumerationRow {
  client_key: string
  method: string
  path_key: string
  max_distinct: number
  window_ms: number
  peers: number
  peer_median: number
  limit_distinct: number
  reason: 'threshold' | 'peers'
  first_seen_ms: number
  last_seen_ms: number
  hits: number
}

/** A stored row as the rules (and the pipeline's deltas) read it. */
export const eventOfRow = (r: EnumerationRow): EnumerationEvent => ({
  clientKey: r.client_key,
  method: r.method,
  pathKey: r.path_key,
  maxDistinct: r.max_distinct,
  windowMs: r.window_ms,
  peers: r.peers,
  peerMedian: r.peer_median,
  limit: r.limit_distinct,
  reason: r.reason,
  firstSeenMs: r.first_seen_ms,
  lastSeenMs: r.last_seen_ms,
  hits: r.hits,
})

/** Persists EnumerationTracker suspects and reads them back as EnumerationEvents for the rules. */
export class EnumerationStore {
  readonly #db: Database.Database
  readonly #options: EnumerationStoreOptions
  readonly #upsert: Database.Statement
  readonly #count: Database.Statement
  readonly #trim: Database.Statement
  readonly #list: Database.Statement
  readonly #prune: Database.Statement
  readonly #record: (suspects: readonly EnumerationSuspect[], nowMs: number) => void

  constructor(db: Database.Database, options: Partial<EnumerationStoreOptions> = {}) {
    this.#db = db
    this.#options = { ...DEFAULT_ENUMERATION_STORE_OPTIONS, ...options }
    try {
      // A larger count wins the row's window figures; seen times and hits always accumulate.
      this.#upsert = db.prepare(`
        INSERT INTO enumeration_suspect (client_key, method, path_key, max_distinct, window_ms, peers, peer_median,
          limit_distinct, reason, first_seen_ms, last_seen_ms, hits)
        VALUES (@clientKey, @method, @pathKey, @distinct, @windowMs, @peers, @peerMedian, @limit, @reason,
          @firstSeenMs, @nowMs, 1)
        ON CONFLICT (client_key, method, path_key) DO UPDATE SET
          window_ms      = CASE WHEN excluded.max_distinct > max_distinct THEN excluded.window_ms ELSE window_ms END,
          peers          = CASE WHEN excluded.max_distinct > max_distinct THEN excluded.peers ELSE peers END,
          peer_median    = CASE WHEN excluded.max_distinct > max_distinct THEN excluded.peer_median ELSE peer_median END,
          limit_distinct = CASE WHEN excluded.max_distinct > max_distinct THEN excluded.limit_distinct ELSE limit_distinct END,
          reason         = CASE WHEN excluded.max_distinct > max_distinct THEN excluded.reason ELSE reason END,
          max_distinct   = max(max_distinct, excluded.max_distinct),
          first_seen_ms  = min(first_seen_ms, excluded.first_seen_ms),
          last_seen_ms   = max(last_seen_ms, excluded.last_seen_ms),
          hits           = hits + 1`)
      this.#count = db.prepare('SELECT count(*) AS n FROM enumeration_suspect')
      this.#trim = db.prepare(`
        DELETE FROM enumeration_suspect WHERE (client_key, method, path_key) IN (
          SELECT client_key, method, path_key FROM enumeration_suspect
          ORDER BY last_seen_ms ASC, client_key, method, path_key LIMIT ?)`)
      this.#list = db.prepare(`
        SELECT * FROM enumeration_suspect WHERE last_seen_ms >= ?
        ORDER BY max_distinct DESC, client_key, method, path_key`)
      this.#prune = db.prepare('DELETE FROM enumeration_suspect WHERE last_seen_ms < ?')
    } catch (err) {
      throw this.#error(err)
    }
    this.#record = db.transaction((suspects: readonly EnumerationSuspect[], nowMs: number) => {
      for (const s of suspects) {
        this.#upsert.run({
          clientKey: s.clientKey,
          method: s.method,
          pathKey: s.pathKey,
          // Capture times may carry sub-millisecond fractions; the columns are INTEGER (STRICT).
          distinct: Math.round(s.distinct),
          windowMs: Math.round(s.windowMs),
          peers: s.peers,
          peerMedian: s.peerMedian,
          limit: Math.ceil(s.limit),
          reason: s.reason,
          firstSeenMs: Math.floor(Math.min(s.firstSeenMs, nowMs)),
          nowMs: Math.ceil(Math.max(s.lastSeenMs, nowMs)),
        })
      }
      const { n } = this.#count.get() as { n: number }
      if (n > this.#options.maxRows) this.#trim.run(n - this.#options.maxRows)
    })
  }

  #error(err: unknown): SpecterError {
    return err instanceof SpecterError ? err : storeUnavailable(this.#db.name, err)
  }

  /** Records the suspects of one EnumerationTracker.evaluate() in one transaction. */
  record(suspects: readonly EnumerationSuspect[], nowMs: number): void {
    if (suspects.length === 0) return
    try {
      this.#record(suspects, nowMs)
    } catch (err) {
      throw this.#error(err)
    }
  }

  /** Suspects last seen at or after `sinceMs` (all by default), largest counts first. */
  list(sinceMs = 0): EnumerationEvent[] {
    try {
      return (this.#list.all(sinceMs) as EnumerationRow[]).map(eventOfRow)
    } catch (err) {
      throw this.#error(err)
    }
  }

  /** Deletes suspects last seen before `beforeMs`; returns how many. */
  prune(beforeMs: number): number {
    try {
      return this.#prune.run(beforeMs).changes
    } catch (err) {
      throw this.#error(err)
    }
  }
}

/**
 * Evaluates the tracker at `nowMs` and stores its suspects; returns how many there are. The proxy
 * calls it every `security.enumeration.evaluateIntervalMs` (and once on shutdown).
 */
export function persistSuspects(tracker: EnumerationTracker, store: EnumerationStore, nowMs: number): number {
  const suspects = tracker.evaluate(nowMs)
  store.record(suspects, nowMs)
  return suspects.length
}
