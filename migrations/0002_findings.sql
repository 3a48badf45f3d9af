-- Findings written by `specter diff` / `specter report`: one row per (rule, method, path, pointer),
-- upserted on every run, so first/last seen, hits and acknowledgements survive across runs.
-- Rule ids are the stable ids of src/diff/rules. Values are never stored here: evidence holds
-- counts, types and the already-redacted example excerpt only.
CREATE TABLE finding (
  id                INTEGER PRIMARY KEY,
  rule              TEXT    NOT NULL,             -- stable rule id, e.g. 'shadow-operation'
  method            TEXT    NOT NULL,             -- upper-case method, '*' for a whole prefix
  path              TEXT    NOT NULL,             -- documented template, else the observed path key
  pointer           TEXT    NOT NULL DEFAULT '',  -- JSON pointer inside the operation
  severity          TEXT    NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  title             TEXT    NOT NULL,
  first_seen_ms     INTEGER NOT NULL,             -- traffic: first request showing it
  last_seen_ms      INTEGER NOT NULL,             -- traffic: latest request showing it
  hits              INTEGER NOT NULL DEFAULT 0,   -- requests showing it, as of the latest run
  first_reported_ms INTEGER NOT NULL,             -- the run that first reported it
  last_reported_ms  INTEGER NOT NULL,             -- the latest run that reported it
  acknowledged      INTEGER NOT NULL DEFAULT 0 CHECK (acknowledged IN (0, 1)),
  ack_reason        TEXT,
  acked_ms          INTEGER,
  evidence          TEXT    NOT NULL DEFAULT '{}', -- Evidence JSON (src/diff/finding.ts)
  extra             TEXT    NOT NULL DEFAULT '{}', -- why, specPointer, operations (JSON)
  UNIQUE (rule, method, path, pointer)
) STRICT;

CREATE INDEX finding_severity ON finding (severity, acknowledged);
