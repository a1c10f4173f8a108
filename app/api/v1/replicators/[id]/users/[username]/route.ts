import { removeUser } from '@/server/actions';
import { seesUser } from '@/server/auth/policy';
import { ApiError } from '@/server/http/api-error';
import { actionRoute, apiRoute, replicatorFrom, usernameFrom } from '@/server/http/route';
import { findUser } from '@/server/queries';

export const dynamic = 'force-dynamic';

type Params = { id: string; username: string };

/**
 * One user's queue fields and its running dsync, if any. Another domain's user is unknown
 * to a domain-limited account, and the replicator is not even asked.
 */
export const GET = apiRoute<Params>('read', async (_request, params, who) => {
  const replicator = replicatorFrom(params);
  const username = usernameFrom(params);

  if (!seesUser(who, username)) {
    throw new ApiError(404, 'user_not_found', `${username} is not in your domains`);
  }

  const detail = await findUser(replicator, username);
  if (detail === null) {
    throw new ApiError(404, 'user_not_found', `the replicator does not know ${username}`);
  }
  return detail;
});

/** Removes one user from replication. */
export const DELETE = actionRoute<Params>('remove', 'remove', async (_request, params, audit) => {
  const replicator = replicatorFrom(params);
  const username = usernameFrom(params);
  const details = { replicator: replicator.id, mask: username, permission: 'remove' as const };
  return audit.run(details, () => removeUser(replicator, username));
});
