/**
 * Structured results of the reliability run: each test appends one JSON line to
 * `records.jsonl` in the run's folder, and scripts/reliability-summary.ts adds them up
 * with the load figures into the one summary the README links.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where this run writes: RELIABILITY_RUN_DIR, else tests/reliability/results/current. */
export function runDir(): string {
  const dir = process.env.RELIABILITY_RUN_DIR ?? join(ROOT, 'tests/reliability/results/current');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface FaultRecord {
  kind: 'fault';
  fault: string;
  /** Every request that was in flight or sent during the fault, as it ended. */
  requests: { what: string; status: number; code: string | null; ms: number }[];
  /** ms from the fault to the state on the API and on socket.io; null if never shown down. */
  shownMs: { api: number | null; live: number | null };
  /** ms from the replicator's return to the hub's `connected` on the API and on socket.io. */
  recoveredMs: { api: number; live: number };
  /** REPLICATE commands sent during the fault (from /metrics), and how many were asked. */
  replicate?: { asked: number; sent: number; outcome: string | null };
  /** What was expected to be lost and was not (e.g. users after a cut answer). */
  lost: number;
  notes?: string;
}

export interface InputsRecord {
  kind: 'inputs';
  tried: number;
  byRoute: Record<string, number>;
  refused: number;
  expectedCommands: number;
  sentCommands: number;
  disconnects: number;
  usersBefore: number;
  usersAfter: number;
  seconds: number;
}

export interface HardeningRecord {
  kind: 'hardening';
  check: string;
  ok: boolean;
  detail: string;
}

export type RunRecord = FaultRecord | InputsRecord | HardeningRecord;

export function record(entry: RunRecord): void {
  appendFileSync(join(runDir(), 'records.jsonl'), `${JSON.stringify(entry)}\n`);
}
