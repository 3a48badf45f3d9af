// The proxy's outbox: deltas not yet acknowledged by JetStream, in its own SQLite file (table
// pipeline_outbox, migrations/0004_outbox.sql). Deltas are enqueued inside the transaction that
// writes the same batch into the local store, so the two never disagree; they leave in seq
// order once acknowledged. A full outbox refuses new deltas and counts them (never blocks).
import type Database from 'better-sqlite3'

export interface OutboxRow {
  seq: number
  createdMs: number
  body: Buffer
}

export class Outbox {
  readonly #s: ReturnType<typeof prepare>

  constructor(db: Database.Database) {
    this.#s = prepare(db)
  }

  /**
   * Adds deltas (each built from its seq) while the outbox holds fewer than `maxDeltas`; the
   * rest are counted as overflow and get no seq, so seqs stay gap-free. Run inside a transaction.
   */
  enqueue(bodies: ReadonlyArray<(seq: number) => Buffer>, createdMs: number, maxDeltas: number): number {
    let seq = this.#get('next_seq', 1)
    let depth = this.depth()
    let refused = 0
    for (const body of bodies) {
      if (depth >= maxDeltas) {
        refused++
        continue
      }
      this.#s.insert.run(seq, Math.trunc(createdMs), body(seq))
      seq++
      depth++
    }
    this.#s.setState.run('next_seq', seq)
    if (refused > 0) this.#s.setState.run('overflow', this.overflow() + refused)
    return refused
  }

  /** The oldest `limit` deltas, in seq order. */
  peek(limit: number): OutboxRow[] {
    return (this.#s.peek.all(limit) as Array<{ seq: number; created_ms: number; body: Buffer }>).map((r) => ({
      seq: r.seq,
      createdMs: r.created_ms,
      body: r.body,
    }))
  }

  /** Drops a delta JetStream has acknowledged. */
  remove(seq: number): void {
    this.#s.remove.run(seq)
  }

  depth(): number {
    return this.#s.depth.pluck().get() as number
  }

  /** Deltas refused because the outbox was full, since the store was created. */
  overflow(): number {
    return this.#get('overflow', 0)
  }

  /** The seq the next delta gets. */
  nextSeq(): number {
    return this.#get('next_seq', 1)
  }

  #get(key: string, fallback: number): number {
    return (this.#s.getState.pluck().get(key) as number | undefined) ?? fallback
  }
}

function prepare(db: Database.Database) {
  return {
    insert: db.prepare('INSERT INTO pipeline_outbox (seq, created_ms, body) VALUES (?, ?, ?)'),
    peek: db.prepare('SELECT seq, created_ms, body FROM pipeline_outbox ORDER BY seq LIMIT ?'),
    remove: db.prepare('DELETE FROM pipeline_outbox WHERE seq = ?'),
    depth: db.prepare('SELECT count(*) FROM pipeline_outbox'),
    getState: db.prepare('SELECT value FROM pipeline_state WHERE key = ?'),
    setState: db.prepare(
      'INSERT INTO pipeline_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
  }
}
