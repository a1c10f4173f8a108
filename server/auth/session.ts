/**
 * Browser sessions: an iron-session seal (encrypted and signed) in an HttpOnly, SameSite=Lax
 * cookie, holding only the account name, a session id, a stamp of the account's password
 * (see passwordStamp) and when it was last used. The role
 * is read from the accounts file on every request, so a change applies at once. A session
 * ends after SESSION_IDLE_MINUTES without a request; each request moves that end (sliding).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { sealData, unsealData } from 'iron-session';
import { z } from 'zod';

export const SESSION_COOKIE = 'replicator_session';

/** A renewed cookie is sent at most this often, not on every request. */
const RENEW_AFTER_MS = 60_000;

const SessionData = z.object({
  v: z.literal(2),
  sid: z.string().min(16),
  name: z.string().min(1),
  /** The account's password stamp at sign-in: the session ends when it changes. */
  pw: z.string(),
  /** When the session was last used, in ms since the epoch. */
  seen: z.number(),
});
export type SessionData = z.infer<typeof SessionData>;

/** Seals and opens session cookies with the session secret. */
export class SessionSealer {
  private readonly idleMs: number;

  constructor(private readonly secret: string, idleMinutes: number) {
    this.idleMs = idleMinutes * 60_000;
  }

  /** A new session for an account that has just signed in, its password stamp `pw`. */
  start(name: string, pw: string, now = Date.now()): SessionData {
    return { v: 2, sid: randomBytes(16).toString('base64url'), name, pw, seen: now };
  }

  seal(data: SessionData): Promise<string> {
    return sealData(data, { password: this.secret, ttl: this.idleMs / 1000 });
  }

  /** The session in a cookie value, or null when it is forged, damaged or has expired. */
  async open(value: string, now = Date.now()): Promise<SessionData | null> {
    const raw = await unsealData<unknown>(value, { password: this.secret }).catch(() => null);
    const parsed = SessionData.safeParse(raw);
    if (!parsed.success || now - parsed.data.seen > this.idleMs) return null;
    return parsed.data;
  }

  /** The session with `seen` moved to now, when it is worth a new cookie; else null. */
  renewal(data: SessionData, now = Date.now()): SessionData | null {
    return now - data.seen >= RENEW_AFTER_MS ? { ...data, seen: now } : null;
  }

  /** When a session last seen at `seen` ends. */
  endOf(data: SessionData): number {
    return data.seen + this.idleMs;
  }

  /** The Set-Cookie value for a sealed session. */
  cookie(sealed: string, secure: boolean): string {
    return cookieHeader(sealed, Math.floor(this.idleMs / 1000), secure);
  }

  /** The Set-Cookie value that makes the browser forget the session. */
  clearCookie(secure: boolean): string {
    return cookieHeader('', 0, secure);
  }
}

function cookieHeader(value: string, maxAge: number, secure: boolean): string {
  const parts = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax',
    `Max-Age=${maxAge}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

/** A cookie's value from a Cookie header; the seal is URL-safe, so no decoding is needed. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const equals = part.indexOf('=');
    if (equals > 0 && part.slice(0, equals).trim() === name) return part.slice(equals + 1).trim();
  }
  return undefined;
}

/**
 * SESSION_SECRET, else a secret generated once into DATA_DIR/session-secret (mode 0600), so
 * sessions survive a restart without anyone having to make one up.
 */
export function loadSessionSecret(configured: string | undefined, dataDir: string): string {
  if (configured !== undefined) return configured;

  const file = path.join(dataDir, 'session-secret');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  chmodSync(file, 0o600);
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file} holds fewer than 32 characters`);
  return secret;
}
