-- The audit trail, replicate jobs and queue history, as the SQLite files hold them.
-- Times of audit rows stay ISO 8601 text (as in SQLite), so filters compare alike.
CREATE TABLE audit (
  id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  time TEXT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT,
  via TEXT,
  source TEXT NOT NULL,
  replicator TEXT,
  action TEXT NOT NULL,
  mask TEXT,
  -- The one domain all of the mask's users lie in (lowercase), for domain-limited readers.
  mask_domain TEXT,
  priority TEXT,
  "full" SMALLINT,
  outcome TEXT NOT NULL,
  updated INTEGER,
  error_code TEXT,
  error_message TEXT
);
CREATE INDEX audit_by_actor ON audit (actor, id);
CREATE INDEX audit_by_time ON audit (time);

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  replicator TEXT NOT NULL,
  started_by TEXT NOT NULL,
  mask TEXT NOT NULL,
  priority TEXT NOT NULL,
  "full" SMALLINT NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  state TEXT NOT NULL,
  total INTEGER NOT NULL,
  counts TEXT NOT NULL
);
CREATE INDEX jobs_by_start ON jobs (started_at);
CREATE INDEX jobs_running ON jobs (replicator) WHERE state = 'running';

CREATE TABLE job_users (
  job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  username TEXT NOT NULL,
  state TEXT NOT NULL,
  PRIMARY KEY (job_id, username)
);

CREATE TABLE overview_history (
  replicator TEXT NOT NULL,
  resolution_ms INTEGER NOT NULL,
  at BIGINT NOT NULL,
  queued_sync BIGINT NOT NULL,
  queued_high BIGINT NOT NULL,
  queued_low BIGINT NOT NULL,
  queued_failed BIGINT NOT NULL,
  queued_full_resync BIGINT NOT NULL,
  waiting_failed BIGINT NOT NULL,
  total_users BIGINT NOT NULL,
  PRIMARY KEY (replicator, resolution_ms, at)
);
