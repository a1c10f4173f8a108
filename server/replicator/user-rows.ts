/**
 * What the WebAssembly user-line parser (user-lines.ts) hands on: a batch of parsed rows, by
 * column. Apart from the parser, so that the table can take such rows without loading it.
 */
import type { Priority } from '@/lib/api-types';

import type { UserLine } from './answers';

/** A parsed batch, as views into the module's memory: valid until the next batch. */
export interface ParsedUserRows {
  /** The rows' usernames, one after another, as sent (escaped). */
  names: Uint8Array;
  /** Where row k's username ends in `names`; it starts where row k - 1's ends. */
  nameEnds: Uint32Array;
  /** The priority's rank: its index in PRIORITY_BY_RANK. */
  priority: Uint8Array;
  /** 4 where the user failed; the other bits are the parser's own. */
  flags: Uint8Array;
  fast: Float64Array;
  full: Float64Array;
  success: Float64Array;
  /** Seconds to the next sync, -1 where the line has no such field (before Dovecot 2.3.20). */
  next: Float64Array;
}

/** The priorities by rank, as the table stores them and the parser writes them. */
export const PRIORITY_BY_RANK: readonly Priority[] = ['none', 'low', 'high', 'sync'];

/** 4 in a row's flags: the user failed. */
export const FAILED_FLAG = 4;

/** Where the users of a batch go: runs of plain rows at once, an escaped username alone. */
export interface UserRowsSink {
  addRows(rows: ParsedUserRows, from: number, to: number): void;
  addLine(line: UserLine): void;
}
