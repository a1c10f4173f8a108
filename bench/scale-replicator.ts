/**
 * A second real Dovecot pair for measurements at scale, beside the demo one: its own folder
 * and ports, Dovecot's default replicator `vsz_limit`, and a `replicator.db` written before
 * start so that the replicator knows a million users within seconds.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { finished } from 'node:stream/promises';

import { ReplicatorClient, parseAddress } from '../server/replicator/client';

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
  await writeReplicatorDb(join(stateDir, 'replicator.db'), users);

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

/** The generated username of row i, spread over three domains. */
export function scaleUsername(i: number): string {
  return `u${String(i).padStart(7, '0')}@${SCALE_DOMAINS[i % SCALE_DOMAINS.length]}`;
}

/**
 * One line per user in the replicator's own dump format. Every user had a recent full sync,
 * so the replicator queues none of them (they are not in the userdb, and a sync would drop
 * them); one in a hundred is marked failed, one in ten last succeeded days ago.
 */
async function writeReplicatorDb(path: string, users: number): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const out = createWriteStream(path, { mode: 0o600 });

  for (let i = 0; i < users; i++) {
    const failed = i % 100 === 7 ? 1 : 0;
    const full = now - (i % 43_200);
    const success = i % 10 === 3 ? now - 3 * 86_400 : full;
    const line = `${scaleUsername(i)}\t0\t${now}\t${now}\t${full}\t${failed}\t\t${success}\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
}

async function waitForUsers(socket: string, users: number): Promise<number> {
  const client = new ReplicatorClient({ id: 'scale', address: parseAddress(socket) });
  const deadline = Date.now() + 120_000;
  try {
    while (Date.now() < deadline) {
      const total = await client.status().then((c) => c.totalUsers, () => 0);
      if (total >= users) return total;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    client.close();
  }
  throw new Error(`the scale replicator did not load ${users} users in 120 s`);
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
