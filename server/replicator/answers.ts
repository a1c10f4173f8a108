/**
 * Readers of the replicator's answers, one per command shape. A reader is fed one line at a
 * time (without its LF) and says when the answer is complete, so a large answer is parsed as
 * it streams in and never held as one string.
 */
import type { DsyncType, Priority } from '@/lib/api-types';

import { decodeField, splitFields, unescapeField } from './escape';

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
  /** Takes one line, bytes[start, end); returns true once the answer is complete. */
  take(bytes: Buffer, start?: number, end?: number): boolean;
  result(): T;
}

/** The replicator's words for the seven counters, as doveadm also prints them. */
export const OVERVIEW_LABELS: Record<string, keyof OverviewCounters> = {
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

  take(bytes: Buffer, start = 0, end = bytes.length): boolean {
    if (start === end) return true;

    const [label = '', value = ''] = splitFields(bytes.subarray(start, end));
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
 * One user line of a `STATUS <mask>` answer, parsed in place: the numbers are read, the
 * username stays a range of the received bytes until somebody asks for it. One object is
 * reused for every line, so a listener must copy what it keeps before it returns.
 */
export class UserLine {
  bytes: Buffer = Buffer.alloc(0);
  usernameStart = 0;
  usernameEnd = 0;
  /** Whether the username needs no unescaping (it may still be UTF-8). */
  usernamePlain = true;
  priority: Priority = 'none';
  lastFastSync = 0;
  lastFullSync = 0;
  failed = false;
  lastSuccessfulSync = 0;
  nextSyncSeconds: number | null = null;

  /** The username's bytes, unescaped: a view when nothing was escaped, else a copy. */
  usernameBytes(): Buffer {
    const raw = this.bytes.subarray(this.usernameStart, this.usernameEnd);
    return this.usernamePlain ? raw : unescapeField(raw);
  }

  username(): string {
    const { bytes, usernameStart: start, usernameEnd: end } = this;
    if (!this.usernamePlain) return decodeField(bytes.subarray(start, end));
    return bytes.toString('utf8', start, end);
  }

  toUserStatus(): UserStatus {
    return {
      username: this.username(),
      priority: this.priority,
      lastFastSync: this.lastFastSync,
      lastFullSync: this.lastFullSync,
      failed: this.failed,
      lastSuccessfulSync: this.lastSuccessfulSync,
      nextSyncSeconds: this.nextSyncSeconds,
    };
  }
}

/**
 * Reads the answer to `STATUS <mask>`: one line per user and an empty line. Each user goes
 * to `sink` as it is parsed (as a reused UserLine), so the caller decides what to keep.
 */
export class UserStatusReader implements AnswerReader<UnparsedLines>, UserBatchReader {
  private readonly unparsed: UnparsedLines = { count: 0, samples: [] };
  private readonly line = new UserLine();

  constructor(private readonly sink: (line: UserLine) => void) {}

  take(bytes: Buffer, start = 0, end = bytes.length): boolean {
    if (start === end) return true;

    if (readUserLine(bytes, start, end, this.line)) this.sink(this.line);
    else this.count(bytes, start, end);
    return false;
  }

  /**
   * Takes user lines lying one after another in bytes[start, end), each ended by an LF (the
   * last one may end at `end`): the answer's lines as another thread batched them. Each
   * line's end is found while it is parsed, so the bytes are read once.
   */
  takeLines(bytes: Buffer, start: number, end: number): void {
    for (let at = start; at < end;) {
      const lineEnd = readUserLineTo(bytes, at, end, this.line);
      if (lineEnd >= 0) {
        this.sink(this.line);
        at = lineEnd + 1;
        continue;
      }

      const found = bytes.indexOf(LF, at);
      const skipped = found < 0 || found > end ? end : found;
      if (skipped > at) this.count(bytes, at, skipped);
      at = skipped + 1;
    }
  }

  result(): UnparsedLines {
    return this.unparsed;
  }

  private count(bytes: Buffer, start: number, end: number): void {
    this.unparsed.count++;
    if (this.unparsed.samples.length < MAX_SAMPLES) {
      this.unparsed.samples.push(bytes.toString('utf8', start, Math.min(end, start + 200)));
    }
  }
}

/** Reads batches of whole user lines (as a worker thread is sent them) into a table. */
export interface UserBatchReader {
  takeLines(bytes: Buffer, start: number, end: number): void;
  result(): UnparsedLines;
}

/** Where the lines of a `STATUS <mask>` answer go unparsed: to be parsed elsewhere. */
export interface UserLineSink {
  /**
   * One or more whole user lines, bytes[start, end): LF between lines, none after the last.
   * Copy what is kept: the bytes belong to the connection.
   */
  lines(bytes: Buffer, start: number, end: number): void;
}

/**
 * Reads the answer to `STATUS <mask>` without parsing it: lines that lie one after another
 * in the same chunk go to the sink as one range, so a million-line answer makes a few
 * thousand calls, not a million. The empty line that ends the answer is not passed on.
 */
export class UserLinesReader implements AnswerReader<void> {
  private bytes: Buffer | undefined;
  private start = 0;
  private end = 0;

  constructor(private readonly sink: UserLineSink) {}

  take(bytes: Buffer, start = 0, end = bytes.length): boolean {
    const follows = bytes === this.bytes && start === this.end + 1;
    if (follows && start !== end) {
      this.end = end;
      return false;
    }

    this.flush();
    if (start === end) return true;

    this.bytes = bytes;
    this.start = start;
    this.end = end;
    return false;
  }

  result(): void {}

  private flush(): void {
    if (this.bytes !== undefined) this.sink.lines(this.bytes, this.start, this.end);
    this.bytes = undefined;
  }
}

const TAB = 0x09;
const LF = 0x0a;
const ESCAPE = 0x01;
const DIGIT_0 = 0x30;
/** Where the field being read ended (at a TAB, an LF or the limit); set by the readers below. */
let fieldEnd = 0;

/** Parses one user line into a new UserStatus, or null when it does not parse. */
export function parseUserLine(bytes: Buffer, start = 0, end = bytes.length): UserStatus | null {
  const line = new UserLine();
  return readUserLine(bytes, start, end, line) ? line.toUserStatus() : null;
}

/** Parses one user line, bytes[start, end) without its LF, into `line`; false if it can't. */
export function readUserLine(bytes: Buffer, start: number, end: number, line: UserLine): boolean {
  return readUserLineTo(bytes, start, end, line) === end;
}

/**
 * Parses the user line that starts at `start` into `line`: the six fields of Dovecot
 * <= 2.3.19, or the seven of 2.3.20 and later, ended by an LF or by `limit`. Returns where
 * the line ends (its LF, or `limit`), or -1 when it does not parse. A million of these make
 * one answer, so it reads the bytes in place, once, left to right (each number as its
 * digits go by), finds the line's end on the way, and allocates nothing.
 */
function readUserLineTo(bytes: Buffer, start: number, limit: number, line: UserLine): number {
  const nameEnd = readUsername(bytes, start, limit, line);
  if (!tabAt(bytes, nameEnd, limit)) return -1;

  const priority = readPriority(bytes, nameEnd + 1, limit);
  if (priority === null || !tabAt(bytes, fieldEnd, limit)) return -1;
  const fast = readSeconds(bytes, fieldEnd + 1, limit);
  if (fast < 0 || !tabAt(bytes, fieldEnd, limit)) return -1;
  const full = readSeconds(bytes, fieldEnd + 1, limit);
  if (full < 0 || !tabAt(bytes, fieldEnd, limit)) return -1;
  const failed = readFlag(bytes, fieldEnd + 1, limit);
  if (failed === null || !tabAt(bytes, fieldEnd, limit)) return -1;
  const success = readSeconds(bytes, fieldEnd + 1, limit);
  if (success < 0) return -1;
  const next = lineEndAt(bytes, fieldEnd, limit) ? null : readNext(bytes, limit);
  if (next !== null && next < 0) return -1;

  line.bytes = bytes;
  line.usernameStart = start;
  line.usernameEnd = nameEnd;
  line.priority = priority;
  line.lastFastSync = fast;
  line.lastFullSync = full;
  line.failed = failed;
  line.lastSuccessfulSync = success;
  line.nextSyncSeconds = next;
  return fieldEnd;
}

/** Where the username ends (its TAB, the LF or `limit`); notes whether it holds an escape. */
function readUsername(bytes: Buffer, start: number, limit: number, line: UserLine): number {
  let plain = true;
  let i = start;
  for (; i < limit; i++) {
    const byte = bytes[i]!;
    if (byte === TAB || byte === LF) break;
    if (byte === ESCAPE) plain = false;
  }
  line.usernamePlain = plain;
  return i;
}

function tabAt(bytes: Buffer, at: number, limit: number): boolean {
  return at < limit && bytes[at] === TAB;
}

/** Whether the line ends at `at`: an LF there, or nothing more (the caller's range ends). */
function lineEndAt(bytes: Buffer, at: number, limit: number): boolean {
  return at >= limit || bytes[at] === LF;
}

/** The seventh field (2.3.20 and later), after the TAB at fieldEnd; it must end the line. */
function readNext(bytes: Buffer, limit: number): number {
  if (!tabAt(bytes, fieldEnd, limit)) return -1;
  const next = readSeconds(bytes, fieldEnd + 1, limit);
  return lineEndAt(bytes, fieldEnd, limit) ? next : -1;
}

/** A run of ASCII digits up to a TAB or the line's end as a number; -1 when not that. */
function readSeconds(bytes: Buffer, start: number, limit: number): number {
  let value = 0;
  let i = start;
  for (; i < limit; i++) {
    const digit = bytes[i]! - DIGIT_0;
    if (digit >= 0 && digit <= 9) value = value * 10 + digit;
    else break;
  }
  fieldEnd = i;
  if (i === start || i - start > 15) return -1;
  return tabAt(bytes, i, limit) || lineEndAt(bytes, i, limit) ? value : -1;
}

function readFlag(bytes: Buffer, start: number, limit: number): boolean | null {
  fieldEnd = start + 1;
  if (fieldEnd > limit) return null;
  if (bytes[start] === 0x30) return false;
  return bytes[start] === 0x31 ? true : null;
}

/** The priority from `start` up to the next TAB or the line's end. */
function readPriority(bytes: Buffer, start: number, limit: number): Priority | null {
  let i = start;
  while (i < limit && bytes[i] !== TAB && bytes[i] !== LF) i++;
  fieldEnd = i;
  return parsePriority(bytes, start, i);
}

/** The priority names differ in their first byte or their length, so one name is a candidate. */
function parsePriority(bytes: Buffer, start: number, end: number): Priority | null {
  const length = end - start;
  const name = length === 3 ? 'low' : length === 4 ? FOUR_LETTER[bytes[start]!] : undefined;
  if (name === undefined) return null;

  for (let i = 1; i < length; i++) {
    if (bytes[start + i] !== name.charCodeAt(i)) return null;
  }
  return name;
}

const FOUR_LETTER: Record<number, Priority> = { 0x6e: 'none', 0x68: 'high', 0x73: 'sync' };

const DSYNC_TYPES: ReadonlySet<string> = new Set(['full', 'normal', 'incremental']);

/** Reads the answer to `STATUS-DSYNC`: one line per dsync slot and an empty line. */
export class DsyncReader implements AnswerReader<DsyncSlot[]> {
  private readonly slots: DsyncSlot[] = [];

  take(bytes: Buffer, start = 0, end = bytes.length): boolean {
    if (start === end) return true;

    this.slots.push(parseDsyncLine(splitFields(bytes.subarray(start, end))));
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

  take(bytes: Buffer, start = 0, end = bytes.length): boolean {
    const text = bytes.toString('utf8', start, end);
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
    const need = `${PROTOCOL_MAJOR}.x`;
    return { ok: false, why: `protocol version ${match[1]}.${match[2]}, need ${need}` };
  }
  return { ok: true };
}
