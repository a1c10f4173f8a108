/**
 * Setup for browser tests that goes around the browser: the Dovecot pair's paths, and the
 * dashboard's API, as a script would use them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { APIRequestContext } from '@playwright/test';

/** Stops or starts the Dovecot pair the dashboard under test speaks to. */
export function pair(command: 'stop' | 'start'): void {
  execFileSync('bash', ['scripts/dovecot-pair.sh', command], { stdio: 'ignore' });
}

/** The replica's mail root, from scripts/dovecot-pair.sh. */
export function replicaMailRoot(): string {
  const script =
    'eval "$(bash scripts/dovecot-pair.sh env)" && printf %s "$DOVECOT_REPLICA_MAIL_ROOT"';
  return execFileSync('bash', ['-c', script], { encoding: 'utf8' });
}

function replicaHome(username: string): string {
  const [local, domain] = username.split('@') as [string, string];
  return join(replicaMailRoot(), domain, local);
}

/**
 * Puts a plain file where the user's home on the replica should be: every dsync of that
 * user then fails on the replica's side, whatever sync state the replicator kept.
 */
export function breakReplicaHome(username: string): void {
  const home = replicaHome(username);
  rmSync(home, { recursive: true, force: true });
  writeFileSync(home, 'broken on purpose by the browser tests\n');
}

/**
 * Removes what breakReplicaHome put there, so the next sync copies the whole mailbox. A home
 * that is a directory again (a resync has been) is left alone: removing it would leave the
 * replica empty for the demo and the next tests.
 */
export function repairReplicaHome(username: string): void {
  const home = replicaHome(username);
  if (existsSync(home) && !statSync(home).isDirectory()) rmSync(home);
}

export async function userDetail(api: APIRequestContext, username: string) {
  const path = `/api/v1/replicators/default/users/${encodeURIComponent(username)}`;
  const response = await api.get(path);
  return (await response.json()) as {
    user: { failed: boolean; lastFullSync: string | null; lastSuccessfulSync: string | null };
    dsync: { state: string } | null;
  };
}

export async function replicate(api: APIRequestContext, mask: string, full: boolean) {
  await api.post('/api/v1/replicators/default/replicate', {
    data: { mask, priority: 'high', full },
  });
}
