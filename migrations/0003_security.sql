-- Object-enumeration suspects found by the proxy's EnumerationTracker (src/security), kept for the
-- reports, which run in another process. One row per (client, operation); a new evaluation of the
-- same suspect updates it. client_key is the capture's keyed hash (HMAC, 64 bits): never a
-- credential, never an address. No object id is ever stored.
CREATE TABLE enumeration_suspect (
  client_key     TEXT    NOT NULL,
  method         TEXT    NOT NULL,
  path_key       TEXT    NOT NULL,
  max_distinct   INTEGER NOT NULL,           -- the largest distinct-object count seen in one window
  window_ms      INTEGER NOT NULL,
  peers          INTEGER NOT NULL,           -- other clients of the operation at that evaluation
  peer_median    REAL    NOT NULL,
  limit_distinct INTEGER NOT NULL,           -- the count above which the client was flagged
  reason         TEXT    NOT NULL CHECK (reason IN ('threshold', 'peers')),
  first_seen_ms  INTEGER NOT NULL,
  last_seen_ms   INTEGER NOT NULL,
  hits           INTEGER NOT NULL DEFAULT 1, -- evaluations that found it suspicious
  PRIMARY KEY (client_key, method, path_key)
) STRICT, WITHOUT ROWID;

CREATE INDEX enumeration_suspect_last_seen ON enumeration_suspect (last_seen_ms);
