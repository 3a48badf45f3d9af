// Object-enumeration suspects in the pipeline. A proxy's tracker stores its suspects in the
// enumeration_suspect table (migrations/0003_security.sql, src/security's EnumerationStore); the
// security report reads them as facts, so a central store needs them as much as the shapes. The
// proxy ships snapshots of the rows that changed since the last shipped (last_seen_ms past a
// watermark kept in pipeline_state); the collector folds them in idempotently. A local row only
// changes its window figures when max_distinct grows, and its seen times and hits only move one
// way, so the fold of its snapshots in any order, repeated or not, is the row as the proxy has it
// now. Rows of different proxies never share a key (client keys are salted per store) and combine
// as `specter merge` does (src/store/merge-suspects.ts).
import type Database from 'better-sqlite3'
import { type EnumerationEvent, type EnumerationRow, eventOfRow } from '../security/index.js'

/** One enumeration_suspect row, as it travels: the rules' view of a stored row. */
export type SuspectRow = EnumerationEvent

const WATERMARK_KEY = 'suspects_shipped_through_ms'

const hasTable = (db: Database.Database): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'enumeration_suspect'").get() !== undefined

/** The proxy side: the suspect rows not shipped yet, and the watermark that marks them shipped. */
export class SuspectShipper {
  readonly #s: { changed: Database.Statement; get: Database.Statement; set: Database.Statement } | undefined

  constructor(db: Database.Database) {
    this.#s = hasTable(db)
      ? {
          changed: db.prepare(
            'SELECT * FROM enumeration_suspect WHERE last_seen_ms > ? ORDER BY last_seen_ms, client_key, method, path_key',
          ),
          get: db.prepare('SELECT value FROM pipeline_state WHERE key = ?'),
          set: db.prepare(
            'INSERT INTO pipeline_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
          ),
        }
      : undefined
  }

  /** Rows last seen after the watermark (each evaluation that re-finds a suspect moves it), oldest first. */
  changed(): SuspectRow[] {
    if (this.#s === undefined) return []
    const through = (this.#s.get.pluck().get(WATERMARK_KEY) as number | undefined) ?? -1
    return (this.#s.changed.all(through) as EnumerationRow[]).map(eventOfRow)
  }

  /** Marks `rows` (from changed()) shipped; run in the transaction that enqueues them. */
  shipped(rows: readonly SuspectRow[]): void {
    if (this.#s === undefined || rows.length === 0) return
    this.#s.set.run(WATERMARK_KEY, Math.max(...rows.map((r) => r.lastSeenMs)))
  }
}

// Row-value comparison (SQLite 3.15+), as src/store/merge-suspects.ts: the larger figures win.
const FIGURES = ['max_distinct', 'limit_distinct', 'peers', 'peer_median', 'window_ms', 'reason'] as const
const WINS = `(${FIGURES.map((c) => `excluded.${c}`).join(', ')}) > (${FIGURES.join(', ')})`

/** The collector side: folds shipped rows into the central store's enumeration_suspect. */
export class SuspectFolder {
  readonly #upsert: Database.Statement | undefined

  constructor(db: Database.Database) {
    this.#upsert = hasTable(db)
      ? db.prepare(`
        INSERT INTO enumeration_suspect (client_key, method, path_key, max_distinct, window_ms, peers, peer_median,
          limit_distinct, reason, first_seen_ms, last_seen_ms, hits)
        VALUES (@clientKey, @method, @pathKey, @maxDistinct, @windowMs, @peers, @peerMedian, @limit, @reason,
          @firstSeenMs, @lastSeenMs, @hits)
        ON CONFLICT (client_key, method, path_key) DO UPDATE SET
          ${FIGURES.map((c) => `${c} = CASE WHEN ${WINS} THEN excluded.${c} ELSE ${c} END`).join(',\n          ')},
          first_seen_ms = min(first_seen_ms, excluded.first_seen_ms),
          last_seen_ms = max(last_seen_ms, excluded.last_seen_ms),
          hits = max(hits, excluded.hits)`)
      : undefined
  }

  /** Folds snapshots in; run inside the merge's transaction. */
  fold(rows: readonly SuspectRow[]): void {
    for (const r of rows) this.#upsert?.run(r)
  }
}
