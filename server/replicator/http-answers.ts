/**
 * Readers of the doveadm HTTP API's answers to the replicator commands (pure: JSON in,
 * typed values out). doveadm prints the replicator's answer as a table, one object per row,
 * keyed by its column names; sync times come as how long ago they were (`HH:MM:SS`, `-` for
 * never), computed by doveadm against its own clock when it ran the command.
 */
import type { Priority } from '@/lib/api-types';

import {
  AnswerFormatError,
  OVERVIEW_LABELS,
  parseDsyncLine,
  type DsyncSlot,
  type OverviewCounters,
  type UnparsedLines,
  type UserStatus,
} from './answers';

/** One command's part of an answer: its rows, or doveadm's error with its exit code. */
export type HttpCommandResult =
  | { ok: true; rows: Record<string, unknown>[] }
  | { ok: false; type: string; exitCode: number | null };

/**
 * Finds the result of the command sent with `tag` in an answer body
 * (`[["doveadmResponse", rows, tag]]` or `[["error", {type, exitCode}, tag]]`).
 */
export function commandResult(body: unknown, tag: string): HttpCommandResult {
  if (!Array.isArray(body)) throw new AnswerFormatError('doveadm answer is not a JSON array');

  const entry = body.find((e) => Array.isArray(e) && e[2] === tag) as unknown[] | undefined;
  if (entry === undefined) throw new AnswerFormatError(`doveadm answer lacks command ${tag}`);

  const [kind, payload] = entry;
  if (kind === 'error') return errorResult(payload);
  if (kind !== 'doveadmResponse' || !Array.isArray(payload)) {
    throw new AnswerFormatError(`unexpected doveadm answer: ${String(kind).slice(0, 40)}`);
  }
  if (!payload.every(isRow)) throw new AnswerFormatError('doveadm rows are not all objects');
  return { ok: true, rows: payload };
}

function errorResult(payload: unknown): HttpCommandResult {
  const fields = isRow(payload) ? payload : {};
  const type = typeof fields.type === 'string' ? fields.type : 'unknown';
  const exitCode = typeof fields.exitCode === 'number' ? fields.exitCode : null;
  return { ok: false, type, exitCode };
}

function isRow(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns doveadm's "how long ago" back into Unix seconds, against `atSeconds`, the moment the
 * answer was received. `-` is never (0). doveadm prints each part with C's `%02d` of a
 * truncating division, so a time a second ahead of its clock reads `00:00:-1`: the parts
 * still add up to the difference, and the sign is kept.
 */
export function absoluteTime(ago: string, atSeconds: number): number {
  if (ago === '-') return 0;

  const parts = /^(-?\d+):(-?\d+):(-?\d+)$/.exec(ago);
  if (parts === null) throw new AnswerFormatError(`not a doveadm time: ${ago.slice(0, 40)}`);

  const [hours, minutes, seconds] = parts.slice(1).map(Number) as [number, number, number];
  return atSeconds - (hours * 3600 + minutes * 60 + seconds);
}

/** `replicatorStatus` without a mask: rows of `{field, value}`, values as strings. */
export function overviewFromRows(rows: Record<string, unknown>[]): OverviewCounters {
  const counters: Partial<OverviewCounters> = {};
  for (const row of rows) {
    const key = OVERVIEW_LABELS[String(row.field)];
    // A field added by a later Dovecot is no reason to fail; the seven known ones are checked.
    if (key !== undefined) counters[key] = count(row.value, String(row.field));
  }

  const missing = Object.keys(OVERVIEW_LABELS).filter((f) => !(OVERVIEW_LABELS[f]! in counters));
  if (missing.length > 0) throw new AnswerFormatError(`status lacks ${missing.join(', ')}`);
  return counters as OverviewCounters;
}

function count(value: unknown, what: string): number {
  const text = String(value);
  if (!/^\d+$/.test(text)) throw new AnswerFormatError(`${what}: not a number: ${text}`);
  return Number(text);
}

const PRIORITIES: ReadonlySet<string> = new Set(['none', 'low', 'high', 'sync']);
const MAX_SAMPLES = 3;

/**
 * `replicatorStatus` with a mask: rows of username, priority, `fast sync`, `full sync`,
 * `success sync` (how long ago) and failed (`y` or `-`). doveadm does not print the time to
 * the next sync, so it is null here whatever the Dovecot version.
 */
export function usersFromRows(
  rows: Record<string, unknown>[],
  atSeconds: number,
  sink: (user: UserStatus) => void,
): UnparsedLines {
  const unparsed: UnparsedLines = { count: 0, samples: [] };
  for (const row of rows) {
    try {
      sink(userFromRow(row, atSeconds));
    } catch (error) {
      unparsed.count++;
      if (unparsed.samples.length < MAX_SAMPLES) unparsed.samples.push(describeRow(row, error));
    }
  }
  return unparsed;
}

export function userFromRow(row: Record<string, unknown>, atSeconds: number): UserStatus {
  const { username, priority, failed } = row;
  if (typeof username !== 'string') throw new AnswerFormatError('username is not a string');
  if (typeof priority !== 'string' || !PRIORITIES.has(priority)) {
    throw new AnswerFormatError(`unknown priority: ${String(priority)}`);
  }
  if (failed !== 'y' && failed !== '-') throw new AnswerFormatError(`failed: ${String(failed)}`);

  return {
    username,
    priority: priority as Priority,
    lastFastSync: absoluteTime(String(row['fast sync']), atSeconds),
    lastFullSync: absoluteTime(String(row['full sync']), atSeconds),
    failed: failed === 'y',
    lastSuccessfulSync: absoluteTime(String(row['success sync']), atSeconds),
    nextSyncSeconds: null,
  };
}

function describeRow(row: Record<string, unknown>, error: unknown): string {
  const why = error instanceof Error ? error.message : String(error);
  return `${JSON.stringify(row).slice(0, 200)} (${why})`;
}

/** `replicatorDsyncStatus`: rows of username, type and status, as the socket's lines. */
export function dsyncsFromRows(rows: Record<string, unknown>[]): DsyncSlot[] {
  return rows.map((row) =>
    parseDsyncLine([String(row.username ?? ''), String(row.type ?? ''), String(row.status ?? '')]),
  );
}

/** `replicatorReplicate` prints one row: `{"result": "N users updated"}`. */
export function updatedFromRows(rows: Record<string, unknown>[]): number {
  const text = String(rows[0]?.result ?? '');
  const match = /^(\d+) users updated$/.exec(text);
  if (match === null) throw new AnswerFormatError(`expected "N users updated": ${text}`);
  return Number(match[1]);
}
