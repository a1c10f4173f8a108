/**
 * Readers of the replicator's answers, one per command shape. A reader is fed one line at a
 * time (without its LF) and says when the answer is complete, so a large answer is parsed as
 * it streams in and never held as one string.
 */
import type { DsyncType, Priority } from '@/lib/api-types';

import { splitFields } from './escape';

/** A user as the replicator reports it; times are Unix seconds, 0 for never. */
export interface UserStatus {
  username: string;
  priority: Priority;
  lastFastSync: number;
  lastFullSync: number;
  failed: boolean;
  lastSuccessfulSync: number;
  /** Seconds until the next scheduled sync; null before Dovecot 2.3.20, which omits it. */
  nextSyncSeconds: number | null;
}

export interface OverviewCounters {
  queuedSync: number;
  queuedHigh: number;
  queuedLow: number;
  queuedFailed: number;
  queuedFullResync: number;
  waitingFailed: number;
  totalUsers: number;
}

export interface DsyncSlot {
  username: string | null;
  type: DsyncType | null;
  state: string;
}

/** A `+...` or `-...` answer line. */
export type SimpleReply = { ok: true; text: string } | { ok: false, reason: string };

/** Thrown by a reader when the answer cannot be what the command expects. */
export class AnswerFormatError extends Error {
  override readonly name = 'AnswerFormatError';
}

export interface AnswerReader<T> {
  /** Takes one line; returns true once the answer is complete. */
  take(line: Uint8Array): boolean;
  result(): T;
}

const OVERVIEW_LABELS: Record<string, keyof OverviewCounters> = {
  "Queued 'sync' requests": 'queuedSync',
  "Queued 'high' requests": 'queuedHigh',
  "Queued 'low' requests": 'queuedLow',
  "Queued 'failed' requests": 'queuedFailed',
  "Queued 'full resync' requests": 'queuedFullResync',
  "Waiting 'failed' requests": 'waitingFailed',
  'Total number of known users': 'totalUsers',
};

/** Reads the answer to a bare `STATUS`: seven `label TAB number` lines and an empty line. */
export class OverviewReader implements AnswerReader<OverviewCounters> {
  private readonly counters: Partial<OverviewCounters> = {};

  take(line: Uint8Array): boolean {
    if (line.length === 0) return true;

    const [label = '', value = ''] = splitFields(line);
    const key = OVERVIEW_LABELS[label];
    // A label added by a later Dovecot is no reason to fail; the seven known ones are checked.
    if (key !== undefined) this.counters[key] = parseCount(value, label);
    return false;
  }

  result(): OverviewCounters {
    const missing = Object.entries(OVERVIEW_LABELS).filter(([, key]) => !(key in this.counters));
    if (missing.length > 0) {
      throw new AnswerFormatError(`STATUS overview lacks ${missing.map(([l]) => l).join(', ')}`);
    }
    return this.counters as OverviewCounters;
  }
}

function parseCount(value: string, what: string): number {
  if (!/^\d+$/.test(value)) throw new AnswerFormatError(`${what}: not a number: ${value}`);
  return Number(value);
}

/** What a user-status reader could not parse; such lines are counted, never silently lost. */
export interface UnparsedLines {
  count: number;
  /** The first few, for the log. */
  samples: string[];
}

const PRIORITIES: ReadonlySet<string> = new Set(['none', 'low', 'high', 'sync']);
const MAX_SAMPLES = 3;

/**
 * Reads the answer to `STATUS <mask>`: one line per user and an empty line. Each user goes
 * to `sink` as it is parsed, so the caller decides what to keep.
 */
export class UserStatusReader implements AnswerReader<UnparsedLines> {
  private readonly unparsed: UnparsedLines = { count: 0, samples: [] };

  constructor(private readonly sink: (user: UserStatus) => void) {}

  take(line: Uint8Array): boolean {
    if (line.length === 0) return true;

    const user = parseUserLine(splitFields(line));
    if (user !== null) {
      this.sink(user);
    } else {
      this.unparsed.count++;
      if (this.unparsed.samples.length < MAX_SAMPLES) {
        this.unparsed.samples.push(Buffer.from(line).toString('utf8').slice(0, 200));
      }
    }
    return false;
  }

  result(): UnparsedLines {
    return this.unparsed;
  }
}

const TIME = /^\d+$/;

/** Parses the six fields of Dovecot <= 2.3.19, or the seven of 2.3.20 and later. */
export function parseUserLine(fields: string[]): UserStatus | null {
  if (fields.length !== 6 && fields.length !== 7) return null;

  const [username, priority, fast, full, failed, success, next] = fields as [
    string, string, string, string, string, string, string | undefined,
  ];
  if (!PRIORITIES.has(priority)) return null;
  if (failed !== '0' && failed !== '1') return null;
  if (![fast, full, success].every((t) => TIME.test(t))) return null;
  if (next !== undefined && !TIME.test(next)) return null;

  return {
    username,
    priority: priority as Priority,
    lastFastSync: Number(fast),
    lastFullSync: Number(full),
    failed: failed === '1',
    lastSuccessfulSync: Number(success),
    nextSyncSeconds: next === undefined ? null : Number(next),
  };
}

const DSYNC_TYPES: ReadonlySet<string> = new Set(['full', 'normal', 'incremental']);

/** Reads the answer to `STATUS-DSYNC`: one line per dsync slot and an empty line. */
export class DsyncReader implements AnswerReader<DsyncSlot[]> {
  private readonly slots: DsyncSlot[] = [];

  take(line: Uint8Array): boolean {
    if (line.length === 0) return true;

    this.slots.push(parseDsyncLine(splitFields(line)));
    return false;
  }

  result(): DsyncSlot[] {
    return this.slots;
  }
}

/** An idle slot is sent as an empty username and `-` for the type. */
export function parseDsyncLine(fields: string[]): DsyncSlot {
  if (fields.length < 3) {
    throw new AnswerFormatError(`STATUS-DSYNC line has ${fields.length} fields, not 3`);
  }
  const [username, type, ...stateParts] = fields as [string, string, ...string[]];
  // The state is the rest: it is escaped as one field, but be lenient with stray TABs.
  const state = stateParts.join('\t');

  if (username === '' && type === '-') return { username: null, type: null, state };
  if (!DSYNC_TYPES.has(type)) throw new AnswerFormatError(`unknown dsync type: ${type}`);
  return { username, type: type as DsyncType, state };
}

/** Reads a one-line `+text` or `-reason` answer (REPLICATE, ADD, REMOVE). */
export class SimpleReplyReader implements AnswerReader<SimpleReply> {
  private reply: SimpleReply | undefined;

  take(line: Uint8Array): boolean {
    const text = Buffer.from(line).toString('utf8');
    if (text.startsWith('+')) this.reply = { ok: true, text: text.slice(1) };
    else if (text.startsWith('-')) this.reply = { ok: false, reason: text.slice(1) };
    else throw new AnswerFormatError(`expected +/- answer, got: ${text.slice(0, 80)}`);
    return true;
  }

  result(): SimpleReply {
    if (this.reply === undefined) throw new AnswerFormatError('no answer line');
    return this.reply;
  }
}

const SERVER_HANDSHAKE = /^VERSION\treplicator-doveadm-server\t(\d+)\t(\d+)$/;
export const PROTOCOL_MAJOR = 1;
export const CLIENT_HANDSHAKE = `VERSION\treplicator-doveadm-client\t${PROTOCOL_MAJOR}\t0\n`;

/** Checks the server's first line; only the major version must match. */
export function checkHandshake(line: Uint8Array): { ok: true } | { ok: false; why: string } {
  const text = Buffer.from(line).toString('utf8');
  const match = SERVER_HANDSHAKE.exec(text);

  if (match === null) return { ok: false, why: `unexpected greeting: ${text.slice(0, 80)}` };
  if (Number(match[1]) !== PROTOCOL_MAJOR) {
    return { ok: false, why: `protocol version ${match[1]}.${match[2]}, need ${PROTOCOL_MAJOR}.x` };
  }
  return { ok: true };
}
