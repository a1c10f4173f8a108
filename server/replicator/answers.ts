/**
 * Readers of the replicator's answers, one per command shape. A reader is fed one line at a
 * time (without its LF) and says when the answer is complete, so a large answer is parsed as
 * it streams in and never held as one string.
 */
import type { DsyncType, Priority } from '@/lib/api-types';

import { decodeField, splitFields } from './escape';

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

    const user = parseUserLine(line);
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

const TAB = 0x09;
const MAX_FIELDS = 7;

/**
 * Parses one user line: the six fields of Dovecot <= 2.3.19, or the seven of 2.3.20 and
 * later. A million of these make one answer, so it reads the bytes directly: only the
 * username becomes a string.
 */
export function parseUserLine(line: Uint8Array): UserStatus | null {
  const tabs = tabPositions(line);
  if (tabs === null || (tabs.length !== 5 && tabs.length !== 6)) return null;

  const end = (i: number) => tabs[i] ?? line.length;
  const priority = parsePriority(line, tabs[0]! + 1, end(1));
  const fast = parseSeconds(line, tabs[1]! + 1, end(2));
  const full = parseSeconds(line, tabs[2]! + 1, end(3));
  const failed = parseFlag(line, tabs[3]! + 1, end(4));
  const success = parseSeconds(line, tabs[4]! + 1, end(5));
  const next = tabs.length === 6 ? parseSeconds(line, tabs[5]! + 1, line.length) : null;

  if (priority === null || failed === null || fast < 0 || full < 0 || success < 0) return null;
  if (next !== null && next < 0) return null;

  return {
    username: decodeField(line.subarray(0, tabs[0])),
    priority,
    lastFastSync: fast,
    lastFullSync: full,
    failed,
    lastSuccessfulSync: success,
    nextSyncSeconds: next,
  };
}

function tabPositions(line: Uint8Array): number[] | null {
  const tabs: number[] = [];
  for (let i = line.indexOf(TAB); i >= 0; i = line.indexOf(TAB, i + 1)) {
    if (tabs.length === MAX_FIELDS) return null;
    tabs.push(i);
  }
  return tabs;
}

/** A run of ASCII digits as a number, or -1 when it is empty or holds anything else. */
function parseSeconds(line: Uint8Array, start: number, end: number): number {
  if (start >= end || end - start > 15) return -1;

  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = line[i]! - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function parseFlag(line: Uint8Array, start: number, end: number): boolean | null {
  if (end - start !== 1) return null;
  if (line[start] === 0x30) return false;
  return line[start] === 0x31 ? true : null;
}

const PRIORITY_BYTES: readonly [Priority, Buffer][] = (['none', 'low', 'high', 'sync'] as const)
  .map((name) => [name, Buffer.from(name)]);

function parsePriority(line: Uint8Array, start: number, end: number): Priority | null {
  for (const [name, bytes] of PRIORITY_BYTES) {
    if (end - start === bytes.length && bytes.every((byte, i) => line[start + i] === byte)) {
      return name;
    }
  }
  return null;
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
