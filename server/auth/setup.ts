/**
 * Builds the authentication and audit state of the server from its configuration: the
 * accounts file, the session sealer, the database. Called once by server/main.ts.
 */
import { openDatabase, RevokedSessions } from '../audit/database';
import type { AuthConfig } from '../config';
import type { AuditStore } from '../storage/stores';
import { AccountStore } from './accounts';
import { AuthService } from './service';
import { loadSessionSecret, SessionSealer } from './session';

export interface AuthState {
  auth: AuthService;
  /** Signed-out sessions, kept in this instance's SQLite file. */
  revoked: RevokedSessions;
  close(): void;
}

/**
 * Opens the signed-out sessions' database and reads the accounts file and secret; throws on
 * bad ones. Sign-ins and sign-outs are written to `audit`.
 */
export function createAuthState(config: AuthConfig, audit: AuditStore): AuthState {
  const db = openDatabase(config.dataDir);
  const revoked = new RevokedSessions(db);
  const accounts = new AccountStore(config.usersFile);
  // Read once at start, so a bad accounts file stops the server rather than every sign-in.
  accounts.list();
  const secret = loadSessionSecret(config.sessionSecret, config.dataDir);
  const sessions = new SessionSealer(secret, config.sessionIdleMinutes);
  const auth = new AuthService({
    config, accounts, sessions, revoked, audit,
  });
  return { auth, revoked, close: () => db.close() };
}
