/**
 * Setup for browser tests that goes around the browser: the Dovecot pair's paths, and the
 * dashboard's API, as a script would use them.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import type { APIRequestContext } from '@playwright/test';

/** The replica's mail root, from scripts/dovecot-pair.sh. */
export function replicaMailRoot(): string {
  const script =
    'eval "$(bash scripts/dovecot-pair.sh env)" && printf %s "$DOVECOT_REPLICA_MAIL_ROOT"';
  return execFileSync('bash', ['-c', script], { encoding: 'utf8' });
}

/** Deletes a user's mailbox on the replica, so that its next sync copies everything. */
export function wipeReplicaMailbox(username: string): void {
  const [local, domain] = username.split('@') as [string, string];
  rmSync(join(replicaMailRoot(), domain, local), { recursive: true, force: true });
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
