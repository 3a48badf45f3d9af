// Findings persisted next to the shape store (table `finding`, migrations/0002): upserted per run
// by (rule, method, path, pointer), acknowledged by id. Receives the store's open connection.
// A finding on an undocumented path is named by inference (`/admin/users/{userId}`) and carries the
// observed path keys behind the name (`/admin/users/{int}`, kept in `extra`): a row stored under one
// of those keys (before names were inferred) or under an earlier inferred name for them is the same
// finding, and is re-keyed to the new name instead of starting a second row. No migration: the
// columns are unchanged, and only inference (in code) knows the new names.
import type Database from 'better-sqlite3'
import { type Evidence, type Finding, requestsOf, type Severity } from '../diff/index.js'
import { SpecterError } from '../errors.js'

/** new: first reported by this run; open: reported before; acknowledged: accepted by someone, with a reason. */
export type FindingStatus = 'new' | 'open' | 'acknowledged'

export interface StoredFinding extends Finding {
  id: number
  status: FindingStatus
  hits: number
  firstReportedMs: number
  lastReportedMs: number
  acknowledged: boolean
  ackReason?: string
  ackedMs?: number
}

interface Row {
  id: number
  rule: string
  method: string
  path: string
  pointer: string
  severity: string
  title: string
  first_seen_ms: number
  last_seen_ms: number
  hits: number
  first_reported_ms: number
  last_reported_ms: number
  acknowledged: number
  ack_reason: string | null
  acked_ms: number | null
  evidence: string
  extra: string
}

const MAX_REASON_LENGTH = 1000

function fromRow(row: Row, runMs?: number): StoredFinding {
  const evidence = JSON.parse(row.evidence) as Evidence
  const extra = JSON.parse(row.extra) as {
    why?: string
    specPointer?: string
    operations?: string[]
    pathKeys?: string[]
  }
  const acknowledged = row.acknowledged === 1
  const out: StoredFinding = {
    id: row.id,
    rule: row.rule,
    severity: row.severity as Severity,
    method: row.method,
    path: row.path,
    pointer: row.pointer,
    title: row.title,
    why: extra.why ?? '',
    evidence: { ...evidence, firstSeenMs: row.first_seen_ms, lastSeenMs: row.last_seen_ms },
    status: acknowledged ? 'acknowledged' : runMs !== undefined && row.first_reported_ms === runMs ? 'new' : 'open',
    hits: row.hits,
    firstReportedMs: row.first_reported_ms,
    lastReportedMs: row.last_reported_ms,
    acknowledged,
  }
  if (extra.specPointer !== undefined) out.specPointer = extra.specPointer
  if (extra.operations !== undefined) out.operations = extra.operations
  if (extra.pathKeys !== undefined) out.pathKeys = extra.pathKeys
  if (row.ack_reason !== null) out.ackReason = row.ack_reason
  if (row.acked_ms !== null) out.ackedMs = row.acked_ms
  return out
}

export class FindingStore {
  readonly #db: Database.Database
  readonly #upsert: Database.Statement
  readonly #byKey: Database.Statement
  readonly #byId: Database.Statement
  readonly #all: Database.Statement
  readonly #ack: Database.Statement
  readonly #former: Database.Statement
  readonly #rekey: Database.Statement
  readonly #fold: Database.Statement
  readonly #delete: Database.Statement

  /** Takes the store's connection (`store.database`); the `finding` table comes with its migrations. */
  constructor(db: Database.Database) {
    this.#db = db
    this.#upsert = db.prepare(`
      INSERT INTO finding (rule, method, path, pointer, severity, title, first_seen_ms, last_seen_ms, hits,
                           first_reported_ms, last_reported_ms, evidence, extra)
      VALUES (@rule, @method, @path, @pointer, @severity, @title, @first, @last, @hits, @run, @run, @evidence, @extra)
      ON CONFLICT (rule, method, path, pointer) DO UPDATE SET
        severity = excluded.severity,
        title = excluded.title,
        first_seen_ms = min(finding.first_seen_ms, excluded.first_seen_ms),
        last_seen_ms = max(finding.last_seen_ms, excluded.last_seen_ms),
        hits = excluded.hits,
        last_reported_ms = max(finding.last_reported_ms, excluded.last_reported_ms),
        evidence = excluded.evidence,
        extra = excluded.extra`)
    this.#byKey = db.prepare('SELECT * FROM finding WHERE rule = ? AND method = ? AND path = ? AND pointer = ?')
    this.#byId = db.prepare('SELECT * FROM finding WHERE id = ?')
    this.#all = db.prepare('SELECT * FROM finding ORDER BY id')
    this.#ack = db.prepare('UPDATE finding SET acknowledged = 1, ack_reason = ?, acked_ms = ? WHERE id = ?')
    // Rows of the same finding under another name: stored at one of its observed path keys, or
    // stored with one of them among their own.
    this.#former = db.prepare(`
      SELECT * FROM finding
      WHERE rule = @rule AND method = @method AND pointer = @pointer AND path <> @path
        AND (path IN (SELECT value FROM json_each(@keys))
          OR EXISTS (SELECT 1 FROM json_each(finding.extra, '$.pathKeys') AS k
                     WHERE k.value IN (SELECT value FROM json_each(@keys))))
      ORDER BY id`)
    this.#rekey = db.prepare('UPDATE finding SET path = ? WHERE id = ?')
    this.#fold = db.prepare(`
      UPDATE finding SET first_seen_ms = min(first_seen_ms, @first), last_seen_ms = max(last_seen_ms, @last),
        first_reported_ms = min(first_reported_ms, @firstReported), last_reported_ms = max(last_reported_ms, @lastReported)
      WHERE id = @id`)
    this.#delete = db.prepare('DELETE FROM finding WHERE id = ?')
  }

  /** Rows of the same finding stored under an earlier name of its path (f.pathKeys), oldest first. */
  #formerRows(f: Finding): Row[] {
    return this.#former.all({
      rule: f.rule,
      method: f.method,
      pointer: f.pointer,
      path: f.path,
      keys: JSON.stringify(f.pathKeys),
    }) as Row[]
  }

  /**
   * Re-keys the row of a finding stored under an earlier name of its path (the oldest one, keeping
   * its id, acknowledgement and first report); further such rows fold into it and are removed.
   */
  #adoptFormer(f: Finding): void {
    if (f.pathKeys === undefined || f.pathKeys.length === 0) return
    if (this.#byKey.get(f.rule, f.method, f.path, f.pointer) !== undefined) return
    const [keep, ...rest] = this.#formerRows(f)
    if (keep === undefined) return
    this.#rekey.run(f.path, keep.id)
    for (const r of rest) {
      this.#fold.run({
        id: keep.id,
        first: r.first_seen_ms,
        last: r.last_seen_ms,
        firstReported: r.first_reported_ms,
        lastReported: r.last_reported_ms,
      })
      this.#delete.run(r.id)
    }
  }

  /**
   * Records one run's findings in one transaction and returns them with their ids and status
   * ('new' when no earlier run reported them). `runMs` is the run's clock, passed in.
   */
  upsert(findings: readonly Finding[], runMs: number): StoredFinding[] {
    return this.#db.transaction(() =>
      findings.map((f) => {
        const extra: Record<string, unknown> = { why: f.why }
        if (f.specPointer !== undefined) extra['specPointer'] = f.specPointer
        if (f.operations !== undefined) extra['operations'] = f.operations
        if (f.pathKeys !== undefined) extra['pathKeys'] = f.pathKeys
        this.#adoptFormer(f)
        this.#upsert.run({
          rule: f.rule,
          method: f.method,
          path: f.path,
          pointer: f.pointer,
          severity: f.severity,
          title: f.title,
          first: Math.trunc(f.evidence.firstSeenMs),
          last: Math.trunc(f.evidence.lastSeenMs),
          // hits: requests showing it (migrations/0002); a count of distinct objects stands in when unknown.
          hits: requestsOf(f.evidence) ?? f.evidence.count,
          run: Math.trunc(runMs),
          evidence: JSON.stringify(f.evidence),
          extra: JSON.stringify(extra),
        })
        const row = this.#byKey.get(f.rule, f.method, f.path, f.pointer) as Row
        return fromRow(row, Math.trunc(runMs))
      }),
    )()
  }

  /**
   * What `upsert` would return for these findings, without writing: the stored row of each (by
   * key, or under an earlier name of its path, as upsert would adopt it) with its id and status
   * ('open' or 'acknowledged'). Findings no run has recorded are left out: they are new.
   */
  peek(findings: readonly Finding[]): StoredFinding[] {
    const out: StoredFinding[] = []
    for (const f of findings) {
      let row = this.#byKey.get(f.rule, f.method, f.path, f.pointer) as Row | undefined
      if (row === undefined && f.pathKeys !== undefined && f.pathKeys.length > 0) [row] = this.#formerRows(f)
      // Named as this run names it, as upsert would re-key it.
      if (row !== undefined) out.push({ ...fromRow(row), path: f.path })
    }
    return out
  }

  /**
   * Every finding ever recorded, oldest first. With `runMs`, statuses are as of the run at that
   * time (as its upsert returned them: 'new' when that run first reported the finding); without,
   * 'open' or 'acknowledged'.
   */
  list(runMs?: number): StoredFinding[] {
    const run = runMs === undefined ? undefined : Math.trunc(runMs)
    return (this.#all.all() as Row[]).map((r) => fromRow(r, run))
  }

  /** One finding by id, or undefined. */
  get(id: number): StoredFinding | undefined {
    const row = this.#byId.get(id) as Row | undefined
    return row === undefined ? undefined : fromRow(row)
  }

  /** Marks a finding acknowledged. Throws SPECTER_ERR_NOT_FOUND for an unknown id. */
  acknowledge(id: number, reason: string, nowMs: number): StoredFinding {
    const text = reason.trim().slice(0, MAX_REASON_LENGTH)
    const changed = this.#ack.run(text, Math.trunc(nowMs), id).changes
    if (changed === 0) throw new SpecterError('SPECTER_ERR_NOT_FOUND', `there is no finding with id ${id}`)
    return this.get(id) as StoredFinding
  }
}
