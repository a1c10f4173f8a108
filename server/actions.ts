/**
 * What a person can change on a replicator: replicate, add, remove. Each action is logged
 * once with its outcome, and the hub polls at once so every browser sees the effect.
 */
import type { RequestPriority } from '@/lib/api-types';

import { isOneUser } from './auth/policy';
import type { JobTracker } from './jobs/tracker';
import { moduleLogger } from './log';
import { ReplicatorError } from './replicator/errors';
import { listUsers } from './replicator/transport';
import type { Replicator } from './replicators';

const log = moduleLogger('actions');

export interface ReplicateRequest {
  mask: string;
  priority: RequestPriority;
  full: boolean;
}

/**
 * Queues the users of a mask and follows them as a job; resolves with how many the
 * replicator queued and the job's id. The replicator adds a user it does not know when it
 * is asked to replicate that one name, so someone who may not add users (`mayAdd` false)
 * may replicate only a known one.
 */
export async function replicate(
  replicator: Replicator,
  request: ReplicateRequest,
  jobs: JobTracker,
  startedBy: string,
  mayAdd: boolean,
) {
  const { mask, priority, full } = request;
  const fields = { replicator: replicator.id, mask, priority, full };
  if (!mayAdd && isOneUser(mask)) await mustBeKnown(replicator, mask);

  const covered = await jobs.coveredUsers(replicator, mask);
  const sentAt = Date.now();
  const updated = await logged('replicate', fields, () =>
    replicator.client.replicate(mask, priority, full),
  );
  const job = await jobs.start(replicator.id, { startedBy, ...request }, covered, sentAt);
  afterChange(replicator);
  return { updated, jobId: job.id };
}

async function mustBeKnown(replicator: Replicator, username: string): Promise<void> {
  const { users } = await listUsers(replicator.client, username);
  if (users.some((user) => user.username === username)) return;

  throw new ReplicatorError('user_not_found', `user not found: ${username}`, {
    replicator: replicator.id,
    hint: 'The replicator does not know this name, and replicating it would add it: adding ' +
      'users is for operators. Check the spelling, the domain\'s case included.',
  });
}

/** Adds a user, or asks the userdb for a wildcard mask's users (answered before it ends). */
export async function addUsers(replicator: Replicator, mask: string) {
  await logged('add', { replicator: replicator.id, mask }, () => replicator.client.add(mask));
  afterChange(replicator);
  return { ok: true as const };
}

/** Removes one user from the replication queue. */
export async function removeUser(replicator: Replicator, username: string) {
  const fields = { replicator: replicator.id, mask: username };

  await logged('remove', fields, () => replicator.client.remove(username));
  afterChange(replicator);
  return { ok: true as const };
}

async function logged<T>(
  action: string,
  fields: Record<string, unknown>,
  run: () => Promise<T>,
): Promise<T> {
  try {
    const result = await run();
    log.info({ ...fields, action, result }, 'action done');
    return result;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    log.warn({ ...fields, action, code, error: (error as Error).message }, 'action failed');
    throw error;
  }
}

function afterChange(replicator: Replicator): void {
  replicator.keptUsers.clear();
  replicator.hub.pollNow();
}
