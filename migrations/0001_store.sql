-- The shape store: one row per endpoint, per distinct exchange kind, per sampled path segment
-- and per kept example, so the file grows with distinct shapes, not with requests.
-- Shapes are canonical JSON of the counted shape lattice (src/infer/shape.ts).

-- 'SPTR': marks the file as a Specter store, so that another application's database is refused.
PRAGMA application_id = 1397773394;

CREATE TABLE meta (
  key   TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE endpoint (
  id            INTEGER PRIMARY KEY,
  method        TEXT    NOT NULL,
  path_key      TEXT    NOT NULL,           -- /users/{int}; '/{other}' is the overflow bucket
  count         INTEGER NOT NULL,
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms  INTEGER NOT NULL,
  folded        INTEGER NOT NULL DEFAULT 0, -- observations whose path had a literal folded to {str} by the sibling cap
  hosts         TEXT    NOT NULL DEFAULT '{}', -- host -> count, the smallest hosts up to the cap
  UNIQUE (path_key, method)
) STRICT;

-- The literal children kept under each parent prefix (the smallest ones, up to the sibling cap).
CREATE TABLE path_literal (
  parent  TEXT NOT NULL,
  segment TEXT NOT NULL,
  PRIMARY KEY (parent, segment)
) STRICT, WITHOUT ROWID;

CREATE TABLE exchange (
  id                    INTEGER PRIMARY KEY,
  endpoint_id           INTEGER NOT NULL REFERENCES endpoint (id) ON DELETE CASCADE,
  status                INTEGER NOT NULL,
  outcome               TEXT    NOT NULL,
  request_content_type  TEXT    NOT NULL,
  response_content_type TEXT    NOT NULL,
  count                 INTEGER NOT NULL,
  first_seen_ms         INTEGER NOT NULL,
  last_seen_ms          INTEGER NOT NULL,
  query                 TEXT    NOT NULL,   -- shape JSON
  request_headers       TEXT    NOT NULL,   -- shape JSON
  response_headers      TEXT    NOT NULL,   -- shape JSON
  request_body          TEXT,               -- shape JSON, NULL when no body had a shape
  response_body         TEXT,               -- shape JSON
  auth                  TEXT    NOT NULL,   -- credential fact -> count
  request_kinds         TEXT    NOT NULL,   -- body kind -> count
  response_kinds        TEXT    NOT NULL,
  request_truncated     INTEGER NOT NULL,
  response_truncated    INTEGER NOT NULL,
  duration_us_sum       INTEGER NOT NULL,   -- integer microseconds, so that sums are exact in any order
  duration_us_max       INTEGER NOT NULL,
  UNIQUE (endpoint_id, status, outcome, request_content_type, response_content_type)
) STRICT;

-- Bottom-k sample of distinct raw values of one placeholder segment (src/store/bottom-k.ts).
CREATE TABLE segment_sample (
  endpoint_id INTEGER NOT NULL REFERENCES endpoint (id) ON DELETE CASCADE,
  idx         INTEGER NOT NULL,
  sample      TEXT    NOT NULL,   -- JSON array of values, by rank
  PRIMARY KEY (endpoint_id, idx)
) STRICT, WITHOUT ROWID;

-- The earliest redacted examples per (endpoint, status).
CREATE TABLE example (
  id          INTEGER PRIMARY KEY,
  endpoint_id INTEGER NOT NULL REFERENCES endpoint (id) ON DELETE CASCADE,
  status      INTEGER NOT NULL,
  time_ms     INTEGER NOT NULL,
  request     TEXT,
  response    TEXT
) STRICT;
CREATE INDEX example_by_endpoint ON example (endpoint_id, status, time_ms);
