/**
 * Who is asking: the one place that turns a request into an identity, for API routes, pages
 * and socket.io alike. Three ways in, tried in this order: the SSO proxy's header (only from
 * a trusted proxy), HTTP Basic (scripts), the session cookie (browsers). Signing in and out
 * also live here, with the failure limit and their audit rows.
 */
import type { AuditResult } from '../audit/log';
import type { RevokedSessions } from '../audit/database';
import type { AuthConfig } from '../config';
import type { AuditStore } from '../storage/stores';
import { moduleLogger } from '../log';
import { passwordStamp, principalOf, type Account, type AccountStore } from './accounts';
import { SignInLimiter } from './limiter';
import { isCrossOrigin } from './origin';
import type { Principal } from './policy';
import {
  clientAddress,
  isHttps,
  parseProxyRoles,
  proxyRoleFor,
  TrustedProxies,
  type ProxyRoleRule,
  type RequestInfo,
} from './proxy';
import { cookieValue, SESSION_COOKIE, SessionSealer, type SessionData } from './session';

const log = moduleLogger('auth');

export interface Identity extends Principal {
  via: 'session' | 'basic' | 'proxy';
  /** The session's id and end, for signing out; null when not signed in by cookie. */
  session: { id: string; end: number } | null;
  /**
   * The stamp of the password this identity proved (see passwordStamp): at sign-in for a
   * session, on the handshake for Basic auth; null through the SSO proxy. A live socket
   * whose stamp no longer matches its account is closed.
   */
  credential: string | null;
  /** The client's address, as the audit trail records it. */
  source: string;
}

export type Refusal = {
  kind: 'refused';
  status: number;
  code: string;
  message: string;
  retryAfterSeconds?: number;
};

export type AuthOutcome =
  | { kind: 'ok'; identity: Identity; setCookie: string | null }
  | { kind: 'anonymous' }
  | Refusal;

export type SignInOutcome = { kind: 'ok'; identity: Identity; setCookie: string } | Refusal;

export interface AuthDeps {
  config: AuthConfig;
  accounts: AccountStore;
  sessions: SessionSealer;
  revoked: RevokedSessions;
  audit: AuditStore;
}

/** Authentication for the whole process; one instance, reached through the runtime. */
export class AuthService {
  private readonly trusted: TrustedProxies;
  private readonly proxyRules: ProxyRoleRule[];
  private readonly limiter = new SignInLimiter();
  private readonly signOutListeners = new Set<(sessionId: string, until: number) => void>();

  constructor(private readonly deps: AuthDeps) {
    this.trusted = new TrustedProxies(deps.config.trustedProxies);
    this.proxyRules = parseProxyRoles(deps.config.proxyRoles);
  }

  /** The identity a request carries, or why it is refused, or nobody. */
  async authenticate(info: RequestInfo): Promise<AuthOutcome> {
    const proxyHeader = this.deps.config.proxyHeader;
    if (proxyHeader !== undefined && info.header(proxyHeader) !== undefined) {
      return this.fromProxy(info, info.header(proxyHeader)!);
    }
    const basic = parseBasic(info.header('authorization'));
    if (basic !== null) return this.fromBasic(info, basic.name, basic.password);
    return this.fromCookie(info);
  }

  /** Checks a name and password from the login page; on success, a new session cookie. */
  async signIn(info: RequestInfo, name: string, password: string): Promise<SignInOutcome> {
    const checked = await this.checkPassword(info, name, password, 'session');
    if (checked.kind !== 'ok') return checked;

    const data = this.deps.sessions.start(checked.account.name, passwordStamp(checked.account));
    const identity = this.identityOf(checked.account, 'session', info, data);
    const failed = await this.audited(identity, 'sign-in');
    if (failed !== null) return failed;
    log.info({ actor: identity.name, role: identity.role, source: identity.source }, 'sign-in');
    const sealed = await this.deps.sessions.seal(data);
    const setCookie = this.deps.sessions.cookie(sealed, this.secure(info));
    return { kind: 'ok', identity, setCookie };
  }

  /** Ends a session for good (a copy of its cookie is refused too) and records it. */
  async signOut(identity: Identity, info: RequestInfo): Promise<{ setCookie: string } | Refusal> {
    const failed = await this.audited(identity, 'sign-out');
    if (failed !== null) return failed;
    if (identity.session !== null) {
      this.deps.revoked.revoke(identity.session.id, identity.session.end);
      const { id, end } = identity.session;
      for (const listener of this.signOutListeners) listener(id, end);
    }
    log.info({ actor: identity.name, source: identity.source }, 'sign-out');
    return { setCookie: this.deps.sessions.clearCookie(this.secure(info)) };
  }

  /**
   * Calls `listener` with the id of every session that signs out (to close its sockets) and
   * when it would have ended anyway.
   */
  onSignOut(listener: (sessionId: string, until: number) => void): () => void {
    this.signOutListeners.add(listener);
    return () => this.signOutListeners.delete(listener);
  }

  /**
   * The identity as it stands now, for a long-lived socket: null once its session was
   * signed out or its account removed; the role and domains as the accounts file says.
   */
  refresh(identity: Identity): Identity | null {
    if (identity.via === 'proxy') return identity;
    if (identity.session !== null && this.deps.revoked.isRevoked(identity.session.id)) {
      return null;
    }
    const account = this.deps.accounts.find(identity.name);
    if (account === undefined) return null;
    if (identity.credential !== null && identity.credential !== passwordStamp(account)) {
      return null;
    }
    return { ...identity, ...principalOf(account) };
  }

  /** Whether a state-changing request comes from another site. */
  isCrossOrigin(info: RequestInfo): boolean {
    const forwarded = this.trusted.has(info.peer) ? info.header('x-forwarded-host') : undefined;
    return isCrossOrigin(info, forwarded ?? info.header('host'));
  }

  /** The client's address as the audit trail records it. */
  sourceOf(info: RequestInfo): string {
    return clientAddress(info, this.trusted);
  }

  private fromProxy(info: RequestInfo, user: string): AuthOutcome {
    const source = this.sourceOf(info);
    if (!this.trusted.has(info.peer)) {
      log.warn({ peer: info.peer, source }, 'proxy header from an untrusted address');
      return refusal(403, 'untrusted_proxy', 'this address may not send the SSO header');
    }
    const rule = proxyRoleFor(this.proxyRules, user, this.groupsOf(info));
    if (rule === undefined) {
      return refusal(403, 'forbidden', `${user} has no role on this dashboard`);
    }
    const principal = { name: user, role: rule.role, domains: rule.domains };
    return { kind: 'ok', identity: { ...principal, via: 'proxy', session: null, credential: null,
      source },
      setCookie: null };
  }

  private groupsOf(info: RequestInfo): string[] {
    const header = this.deps.config.proxyGroupsHeader;
    const text = header === undefined ? '' : (info.header(header) ?? '');
    return text.split(',').map((group) => group.trim()).filter(Boolean);
  }

  private async fromBasic(info: RequestInfo, name: string, password: string) {
    const checked = await this.checkPassword(info, name, password, 'basic');
    if (checked.kind !== 'ok') return checked;
    const identity = this.identityOf(checked.account, 'basic', info, null);
    return { kind: 'ok' as const, identity, setCookie: null };
  }

  private async fromCookie(info: RequestInfo): Promise<AuthOutcome> {
    const value = cookieValue(info.header('cookie'), SESSION_COOKIE);
    if (value === undefined || value === '') return { kind: 'anonymous' };

    const { sessions, revoked, accounts } = this.deps;
    const data = await sessions.open(value);
    if (data === null || revoked.isRevoked(data.sid)) return { kind: 'anonymous' };
    const account = accounts.find(data.name);
    if (account === undefined || data.pw !== passwordStamp(account)) return { kind: 'anonymous' };

    const renewed = sessions.renewal(data);
    const current = renewed ?? data;
    const identity = this.identityOf(account, 'session', info, current);
    const setCookie = renewed === null ? null
      : sessions.cookie(await sessions.seal(renewed), this.secure(info));
    return { kind: 'ok', identity, setCookie };
  }

  /** The password check shared by the login page and Basic auth, with limit and audit. */
  private async checkPassword(
    info: RequestInfo,
    name: string,
    password: string,
    via: Identity['via'],
  ): Promise<{ kind: 'ok'; account: Account } | Refusal> {
    const source = this.sourceOf(info);
    const limit = await this.limiter.check(name, source);
    if (limit.limited) {
      const message = 'too many failed sign-ins; try again later';
      await this.recordFailure(name, via, source, 'too_many_attempts', message);
      return { ...refusal(429, 'too_many_attempts', message),
        retryAfterSeconds: limit.retryAfterSeconds };
    }

    const account = await this.deps.accounts.verify(name, password);
    if (account === undefined) {
      await this.limiter.failed(name, source);
      const message = 'wrong name or password';
      await this.recordFailure(name, via, source, 'invalid_credentials', message);
      log.warn({ actor: name, source, via }, 'failed sign-in');
      return refusal(401, 'invalid_credentials', message);
    }
    await this.limiter.succeeded(name);
    return { kind: 'ok', account };
  }

  private async recordFailure(
    name: string, via: string, source: string, code: string, msg: string,
  ): Promise<void> {
    // A name someone typed, not an account: kept short so a pasted password cannot fill rows.
    const actor = name.slice(0, 64);
    const result: AuditResult = { outcome: 'refused', code, message: msg };
    try {
      await this.deps.audit.record(
        { actor, role: null, via, source, action: 'sign-in-failed' }, result);
    } catch (error) {
      log.error({ err: error }, 'could not record a failed sign-in');
    }
  }

  /** Records a sign-in or sign-out; a refusal when the row could not be written. */
  private async audited(
    identity: Identity,
    action: 'sign-in' | 'sign-out',
  ): Promise<Refusal | null> {
    try {
      const { name: actor, role, via, source } = identity;
      await this.deps.audit.record({ actor, role, via, source, action }, { outcome: 'ok' });
      return null;
    } catch (error) {
      log.error({ err: error, action }, 'could not write the audit row');
      return refusal(500, 'audit_failed', 'the audit trail could not be written; try again');
    }
  }

  private identityOf(
    account: Account,
    via: Identity['via'],
    info: RequestInfo,
    session: SessionData | null,
  ): Identity {
    const ends = session === null ? null
      : { id: session.sid, end: this.deps.sessions.endOf(session) };
    const credential = session?.pw ?? passwordStamp(account);
    return { ...principalOf(account), via, session: ends, credential,
      source: this.sourceOf(info) };
  }

  private secure(info: RequestInfo): boolean {
    return isHttps(info, this.trusted);
  }
}

function refusal(status: number, code: string, message: string): Refusal {
  return { kind: 'refused', status, code, message };
}

/** Name and password of an `Authorization: Basic` header, or null. */
export function parseBasic(header: string | undefined): { name: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (match === null) return null;
  const text = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  return { name: text.slice(0, colon), password: text.slice(colon + 1) };
}
