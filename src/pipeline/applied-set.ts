// The collector's record of merged deltas, per source proxy: a watermark (every seq up to it is
// merged) plus the seqs merged above it, in the central store's SQLite (tables pipeline_source
// and pipeline_applied). Written in the merge's own transaction: that is what makes a
// redelivered delta count once, whichever collector receives it.
import type Database from 'better-sqlite3'
import type { DeltaHeader } from './delta.js'

export interface SourceState {
  instanceId: string
  appliedThrough: number
  deltas: number
  observations: number
  outboxDepth: number
  outboxOverflow: number
  lastCreatedMs: number
  lastAppliedMs: number
}

export class AppliedSet {
  readonly #s: ReturnType<typeof prepare>

  constructor(db: Database.Database) {
    this.#s = prepare(db)
  }

  has(instanceId: string, seq: number): boolean {
    const through = this.#s.through.pluck().get(instanceId) as number | undefined
    if (through !== undefined && seq <= through) return true
    return this.#s.has.get(instanceId, seq) !== undefined
  }

  /** Records a delta as merged and moves the watermark over a contiguous run. Run inside the merge's transaction. */
  mark(h: DeltaHeader, outbox: { depth: number; overflow: number }, nowMs: number): void {
    this.#s.sourceUpsert.run({
      id: h.instanceId,
      obs: h.observations,
      depth: outbox.depth,
      overflow: outbox.overflow,
      created: h.createdMs,
      applied: Math.trunc(nowMs),
    })
    this.#s.insert.run(h.instanceId, h.seq)
    let through = this.#s.through.pluck().get(h.instanceId) as number
    while (this.#s.has.get(h.instanceId, through + 1) !== undefined) {
      through++
      this.#s.remove.run(h.instanceId, through)
    }
    this.#s.setThrough.run(through, h.instanceId)
  }

  sources(): SourceState[] {
    return (this.#s.sources.all() as Array<Record<string, number | string>>).map((r) => ({
      instanceId: r.instance_id as string,
      appliedThrough: r.applied_through as number,
      deltas: r.deltas as number,
      observations: r.observations as number,
      outboxDepth: r.outbox_depth as number,
      outboxOverflow: r.outbox_overflow as number,
      lastCreatedMs: r.last_created_ms as number,
      lastAppliedMs: r.last_applied_ms as number,
    }))
  }
}

function prepare(db: Database.Database) {
  return {
    through: db.prepare('SELECT applied_through FROM pipeline_source WHERE instance_id = ?'),
    has: db.prepare('SELECT 1 FROM pipeline_applied WHERE instance_id = ? AND seq = ?'),
    insert: db.prepare('INSERT INTO pipeline_applied (instance_id, seq) VALUES (?, ?)'),
    remove: db.prepare('DELETE FROM pipeline_applied WHERE instance_id = ? AND seq = ?'),
    setThrough: db.prepare('UPDATE pipeline_source SET applied_through = ? WHERE instance_id = ?'),
    sourceUpsert: db.prepare(
      `INSERT INTO pipeline_source (instance_id, deltas, observations, outbox_depth, outbox_overflow, last_created_ms, last_applied_ms)
       VALUES (@id, 1, @obs, @depth, @overflow, @created, @applied)
       ON CONFLICT (instance_id) DO UPDATE SET deltas = deltas + 1, observations = observations + @obs,
         outbox_depth = @depth, outbox_overflow = max(outbox_overflow, @overflow),
         last_created_ms = max(last_created_ms, @created), last_applied_ms = @applied`,
    ),
    sources: db.prepare('SELECT * FROM pipeline_source ORDER BY instance_id'),
  }
}
