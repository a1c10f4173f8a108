/**
 * The faults themselves, done to the reliability pair's real replicator: freezing and
 * killing its process, taking its socket file away and giving it back, and noticing that
 * an answer is being written (so a fault lands in the middle of it, not before).
 */
import { chmodSync, linkSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { DovecotPair } from './pair';
import { replicatorAnswers } from './pair';

/** SIGSTOP: the process stays, with its socket and connections, and answers nothing. */
export function freeze(pid: number): void {
  process.kill(pid, 'SIGSTOP');
}

export function thaw(pid: number): void {
  try {
    process.kill(pid, 'SIGCONT');
  } catch {
    // Gone already (killed, restarted): nothing left to thaw.
  }
}

/** Bytes the process has written so far (sockets included), from /proc/<pid>/io. */
export function bytesWritten(pid: number): number {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  return Number(/^wchar:\s+(\d+)$/m.exec(io)?.[1] ?? NaN);
}

/**
 * Resolves once `pid` has written `bytes` more than `from`: an answer of that size is on
 * its way. Polls /proc every millisecond; rejects after `timeoutMs`.
 */
export async function untilWritten(pid: number, from: number, bytes: number, timeoutMs = 10_000) {
  const deadline = performance.now() + timeoutMs;
  while (bytesWritten(pid) - from < bytes) {
    if (performance.now() > deadline) throw new Error(`pid ${pid} wrote < ${bytes} bytes`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Kills the replicator; Dovecot's master starts a new one. Resolves with the old pid. */
export function killReplicator(pair: DovecotPair): number {
  const pid = requireReplicator(pair);
  process.kill(pid, 'SIGKILL');
  return pid;
}

export function requireReplicator(pair: DovecotPair): number {
  const pid = pair.replicatorPid();
  if (pid === undefined) throw new Error('the pair has no replicator process');
  return pid;
}

/** Resolves with performance.now() once the replicator at `socket` answers a handshake. */
export async function untilReplicatorAnswers(socket: string, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  while (!(await replicatorAnswers(socket, 500))) {
    if (performance.now() > deadline) throw new Error(`no replicator at ${socket}`);
  }
  return performance.now();
}

/**
 * Handshakes with the replicator every 50 ms from the tests' own side, to tell when it
 * really stopped answering: a stopping Dovecot's replicator answers for a while yet, and
 * may miss a handshake while it is busy and then answer again, so only the last answer
 * before the stop has finished counts.
 */
export class AvailabilityProbe {
  private lastOk = performance.now();
  private stopped = false;
  private readonly done: Promise<number>;

  constructor(socket: string) {
    this.done = this.loop(socket);
  }

  /** Stops probing; resolves with performance.now() of the last handshake answered. */
  lastAnswer(): Promise<number> {
    this.stopped = true;
    return this.done;
  }

  private async loop(socket: string): Promise<number> {
    while (!this.stopped) {
      const asked = performance.now();
      if (await replicatorAnswers(socket, 300)) this.lastOk = asked;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.lastOk;
  }
}

/**
 * The socket file, removed from its path and kept under another name (a hard link to the
 * same socket), so that it can be put back without restarting Dovecot.
 */
export class SocketFile {
  private readonly kept: string;

  constructor(readonly path: string) {
    this.kept = join(dirname(path), '.replicator-doveadm.kept-by-reliability-tests');
  }

  /** Unlinks the socket's path; connections already open stay open. */
  remove(): void {
    rmSync(this.kept, { force: true });
    linkSync(this.path, this.kept);
    rmSync(this.path);
  }

  /** Puts the socket back at its path (whatever stood there in the meantime goes). */
  restore(): void {
    if (!this.removed) return;
    const swap = `${this.kept}.swap`;
    rmSync(swap, { force: true });
    linkSync(this.kept, swap);
    renameSync(swap, this.path);
    rmSync(this.kept);
  }

  get removed(): boolean {
    try {
      statSync(this.kept);
      return true;
    } catch {
      return false;
    }
  }

  /** The socket's mode bits, e.g. 0o660. */
  get mode(): number {
    return statSync(this.path).mode & 0o777;
  }

  set mode(mode: number) {
    chmodSync(this.path, mode);
  }
}
