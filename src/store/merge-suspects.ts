// Merging object-enumeration suspects (table enumeration_suspect, migrations/0003_security.sql,
// written by src/security's EnumerationStore) from one store into another. Like a new evaluation
// of a known suspect, but order-independent: of two rows for the same (client, operation), the one
// with the larger window figures keeps them (max_distinct first, the other figures break ties, so
// the outcome is a maximum over a total order), seen times take min/max, and hits (evaluations)
// add. Client keys are keyed by each store's salt: one client seen through two proxies whose stores
// have different salts stays two rows.
import type Database from 'better-sqlite3'
import { SpecterError, storeCorrupt } from '../errors.js'
import { toStoreError } from './sqlite-errors.js'

const COLUMNS = [
  'client_key',
  'method',
  'path_key',
  'max_distinct',
  'window_ms',
  'peers',
  'peer_median',
  'limit_distinct',
  'reason',
  'first_seen_ms',
  'last_seen_ms',
  'hits',
] as const

// Row-value comparison (SQLite 3.15+): the incoming figures win when their tuple is greater.
const WINS = `(excluded.max_distinct, excluded.limit_distinct, excluded.peers, excluded.peer_median,
  excluded.window_ms, excluded.reason) > (max_distinct, limit_distinct, peers, peer_median, window_ms, reason)`

const FIGURES = ['max_distinct', 'limit_distinct', 'peers', 'peer_median', 'window_ms', 'reason'] as const

// In an UPDATE, every right-hand side reads the row as it was before the update.
const UPSERT = `
  INSERT INTO enumeration_suspect (${COLUMNS.join(', ')})
  VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})
  ON CONFLICT (client_key, method, path_key) DO UPDATE SET
    ${FIGURES.map((c) => `${c} = CASE WHEN ${WINS} THEN excluded.${c} ELSE ${c} END`).join(',\n    ')},
    first_seen_ms = min(first_seen_ms, excluded.first_seen_ms),
    last_seen_ms = max(last_seen_ms, excluded.last_seen_ms),
    hits = hits + excluded.hits`

function hasSuspectTable(db: Database.Database): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'enumeration_suspect'").get() !== undefined
  )
}

/**
 * Upserts every enumeration suspect of `source` into `target` (run it inside target's write
 * transaction); returns the rows read. Does nothing when either database lacks the table.
 */
export function mergeSuspects(target: Database.Database, source: Database.Database): number {
  if (!hasSuspectTable(target) || !hasSuspectTable(source)) return 0
  let rows = 0
  try {
    const upsert = target.prepare(UPSERT)
    for (const row of source.prepare(`SELECT ${COLUMNS.join(', ')} FROM enumeration_suspect`).iterate()) {
      upsert.run(row as Record<string, unknown>)
      rows++
    }
  } catch (err) {
    // The target failing to write (disk full, locked) is its own coded error; anything else means
    // the source's table is not what migration 0003 made (missing columns, values it forbids).
    const coded = toStoreError(err, target.name)
    throw coded instanceof SpecterError ? coded : storeCorrupt(source.name, err)
  }
  return rows
}
