/**
 * The dashboard's SQLite database (DATA_DIR/audit.sqlite): the audit trail and the ids of
 * signed-out sessions. WAL with synchronous=FULL: every committed row is on disk before the
 * answer it records is sent, so the trail survives `kill -9` and a power cut.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

export type Db = Database.Database;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT,
    via TEXT,
    source TEXT NOT NULL,
    replicator TEXT,
    action TEXT NOT NULL,
    mask TEXT,
    priority TEXT,
    full INTEGER,
    outcome TEXT NOT NULL,
    updated INTEGER,
    error_code TEXT,
    error_message TEXT
  );
  CREATE INDEX IF NOT EXISTS audit_by_actor ON audit (actor, id);
  CREATE INDEX IF NOT EXISTS audit_by_time ON audit (time);
  CREATE TABLE IF NOT EXISTS revoked_sessions (
    sid TEXT PRIMARY KEY,
    until INTEGER NOT NULL
  );
`;

/** Opens (and creates when missing) the database file in the data directory. */
export function openDatabase(dataDir: string, file = 'audit.sqlite'): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(path.join(dataDir, file));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return db;
}

/** Sessions ended by sign-out, kept until they would have expired anyway. */
export class RevokedSessions {
  private readonly insert;
  private readonly lookup;
  private readonly purge;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT OR REPLACE INTO revoked_sessions (sid, until) VALUES (?, ?)');
    this.lookup = db.prepare('SELECT 1 FROM revoked_sessions WHERE sid = ? AND until > ?');
    this.purge = db.prepare('DELETE FROM revoked_sessions WHERE until <= ?');
  }

  revoke(sid: string, until: number, now = Date.now()): void {
    this.purge.run(now);
    this.insert.run(sid, until);
  }

  isRevoked(sid: string, now = Date.now()): boolean {
    return this.lookup.get(sid, now) !== undefined;
  }
}
