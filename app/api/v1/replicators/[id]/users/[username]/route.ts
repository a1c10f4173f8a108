import { removeUser } from '@/server/actions';
import { ApiError } from '@/server/http/api-error';
import { apiRoute, replicatorFrom, usernameFrom } from '@/server/http/route';
import { findUser } from '@/server/queries';

export const dynamic = 'force-dynamic';

type Params = { id: string; username: string };

/** One user's queue fields and its running dsync, if any. */
export const GET = apiRoute<Params>(async (_request, params) => {
  const replicator = replicatorFrom(params);
  const username = usernameFrom(params);

  const detail = await findUser(replicator, username);
  if (detail === null) {
    throw new ApiError(404, 'user_not_found', `the replicator does not know ${username}`);
  }
  return detail;
});

/** Removes one user from replication. */
export const DELETE = apiRoute<Params>(async (_request, params) => {
  const replicator = replicatorFrom(params);
  const username = usernameFrom(params);
  return removeUser(replicator, username);
});
