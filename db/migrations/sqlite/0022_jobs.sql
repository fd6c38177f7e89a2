-- Background jobs (platform/jobs): a kind, a due time and a payload; claimed for a lease by one
-- server, done in the same transaction as their effect, retried with back-off, parked with the
-- error after the last attempt.
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '',
  due_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'due',   -- due | done | parked
  attempts INTEGER NOT NULL DEFAULT 0,
  claimed_by TEXT,
  lease_until INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  done_at INTEGER
);
CREATE INDEX jobs_due ON jobs (state, due_at);
