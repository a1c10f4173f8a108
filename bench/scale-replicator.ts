/**
 * A second real Dovecot pair for measurements at scale, beside the demo one: its own folder
 * and ports, Dovecot's default replicator `vsz_limit`, and a `replicator.db` written before
 * start so that the replicator knows a million users within seconds.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { type DumpedUser, waitForUsers, writeReplicatorDb } from './replicator-db';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/dovecot-pair.sh');

export const SCALE_DOMAINS = ['scale1.example', 'scale2.example', 'scale3.example'];

/** The environment that points scripts/dovecot-pair.sh at the scale pair. */
export function scaleEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DOVECOT_PAIR_DIR: join(ROOT, '.dovecot-scale'),
    DOVECOT_PAIR_REPLICA_PORT: process.env.SCALE_REPLICA_PORT ?? '24420',
    DOVECOT_PAIR_PRIMARY_PORT: process.env.SCALE_PRIMARY_PORT ?? '24421',
    DOVECOT_PAIR_REPLICATOR_PORT: process.env.SCALE_REPLICATOR_PORT ?? '24422',
    DOVECOT_PAIR_BIG_MESSAGES: '10',
  };
}

export interface ScaleReplicator {
  socket: string;
  conf: string;
  stateDir: string;
  logFile: string;
  /** Users the replicator knows: the written ones plus the demo userdb's. */
  users: number;
}

function pair(command: string): string {
  return execFileSync('bash', [SCRIPT, command], {
    env: scaleEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

function pairVars(): Record<string, string> {
  const names = ['REPLICATOR_SOCKET', 'DOVECOT_PRIMARY_CONF', 'DOVECOT_PRIMARY_STATE_DIR'];
  const printed = names.map((n) => `"$${n}"`).join(' ');
  const script = `eval "$(bash "$0" env)" && printf '%s\\0' ${printed}`;
  const options = { env: scaleEnv(), encoding: 'utf8' } as const;
  const output = execFileSync('bash', ['-c', script, SCRIPT], options);
  const values = output.split('\0');
  return Object.fromEntries(names.map((name, i) => [name, values[i] ?? '']));
}

/** Restarts the scale pair with `users` generated users (plus the demo userdb's 200). */
export async function loadScaleReplicator(users: number): Promise<ScaleReplicator> {
  pair('start');
  pair('stop');
  const vars = pairVars();
  const stateDir = vars.DOVECOT_PRIMARY_STATE_DIR!;
  await writeReplicatorDb(join(stateDir, 'replicator.db'), users, scaleUser);

  pair('start');
  const socket = vars.REPLICATOR_SOCKET!;
  const known = await waitForUsers(socket, users);
  return {
    socket,
    conf: vars.DOVECOT_PRIMARY_CONF!,
    stateDir,
    logFile: join(vars.DOVECOT_PRIMARY_CONF!, '..', 'dovecot.log'),
    users: known,
  };
}

export function stopScaleReplicator(): void {
  pair('stop');
}

/**
 * Restarts the scale pair on the users it has and waits until the replicator knows them
 * again. A replicator process that has just written several 64 MB answers in a row dies of
 * "Out of memory" on the next one in about half of the tries, whoever reads it (seen here
 * with the old and the new client alike, at load 2): each phase starts with a fresh one.
 */
export async function restartScaleReplicator(replicator: ScaleReplicator): Promise<void> {
  pair('stop');
  pair('start');
  await waitForUsers(replicator.socket, replicator.users);
}

/** The generated username of row i, spread over three domains. */
export function scaleUsername(i: number): string {
  return `u${String(i).padStart(7, '0')}@${SCALE_DOMAINS[i % SCALE_DOMAINS.length]}`;
}

/** The scale users: one in a hundred marked failed, one in ten last succeeded days ago. */
function scaleUser(i: number, now: number): DumpedUser {
  const lastFullSync = now - (i % 43_200);
  return {
    username: scaleUsername(i),
    lastFullSync,
    failed: i % 100 === 7,
    lastSuccessfulSync: i % 10 === 3 ? now - 3 * 86_400 : lastFullSync,
  };
}

/** The size of the scale pair's primary log now, to read only what a run adds. */
export function logSize(logFile: string): number {
  try {
    return statSync(logFile).size;
  } catch {
    return 0;
  }
}

/** Lines the replicator wrote after `from` (bytes) that say it ran out of memory. */
export async function outOfMemoryLines(logFile: string, from = 0): Promise<string[]> {
  const text = await readFile(logFile).then((b) => b.subarray(from).toString('utf8'), () => '');
  const fatal = /returned error 83|out of memory \(service replicator/i;
  return text.split('\n').filter((line) => fatal.test(line));
}
