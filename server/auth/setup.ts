/**
 * Builds the authentication and audit state of the server from its configuration: the
 * accounts file, the session sealer, the database. Called once by server/main.ts.
 */
import { openDatabase, RevokedSessions } from '../audit/database';
import { AuditLog } from '../audit/log';
import type { AuthConfig } from '../config';
import { AccountStore } from './accounts';
import { AuthService } from './service';
import { loadSessionSecret, SessionSealer } from './session';

export interface AuthState {
  auth: AuthService;
  audit: AuditLog;
  close(): void;
}

/** Opens the database and reads the accounts file and secret; throws on bad ones. */
export function createAuthState(config: AuthConfig): AuthState {
  const db = openDatabase(config.dataDir);
  const audit = new AuditLog(db);
  const accounts = new AccountStore(config.usersFile);
  // Read once at start, so a bad accounts file stops the server rather than every sign-in.
  accounts.list();
  const secret = loadSessionSecret(config.sessionSecret, config.dataDir);
  const sessions = new SessionSealer(secret, config.sessionIdleMinutes);
  const auth = new AuthService({
    config, accounts, sessions, revoked: new RevokedSessions(db), audit,
  });
  return { auth, audit, close: () => db.close() };
}
