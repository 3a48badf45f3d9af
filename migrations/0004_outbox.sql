-- Scale-out pipeline (src/pipeline). On a proxy: the deltas not yet acknowledged by NATS
-- JetStream, written in the same transaction as the local store's rows, published in seq order.
-- On a collector: which (instance, seq) deltas were merged, written in the same transaction as
-- the merge, so a redelivered delta is applied once.
CREATE TABLE pipeline_outbox (
  seq        INTEGER PRIMARY KEY,            -- this store's delta sequence, from 1, no gaps
  created_ms INTEGER NOT NULL,
  body       BLOB    NOT NULL                -- the serialised delta (src/pipeline/delta.ts)
) STRICT;

-- Key/value counters of the publisher: next_seq, overflow (deltas refused by a full outbox).
CREATE TABLE pipeline_state (
  key   TEXT    PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Per source proxy: every seq <= applied_through is merged; seqs above it are in pipeline_applied.
CREATE TABLE pipeline_source (
  instance_id     TEXT    PRIMARY KEY,
  applied_through INTEGER NOT NULL DEFAULT 0,
  deltas          INTEGER NOT NULL DEFAULT 0, -- deltas merged
  observations    INTEGER NOT NULL DEFAULT 0, -- observations they carried
  outbox_depth    INTEGER NOT NULL DEFAULT 0, -- as the last delta reported it
  outbox_overflow INTEGER NOT NULL DEFAULT 0,
  last_created_ms INTEGER NOT NULL DEFAULT 0,
  last_applied_ms INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

CREATE TABLE pipeline_applied (
  instance_id TEXT    NOT NULL,
  seq         INTEGER NOT NULL,
  PRIMARY KEY (instance_id, seq)
) STRICT, WITHOUT ROWID;
