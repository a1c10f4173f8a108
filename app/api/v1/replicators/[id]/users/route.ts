import { addUsers } from '@/server/actions';
import { apiRoute, parseBody, parseQuery, replicatorFrom } from '@/server/http/route';
import { AddBody, UsersQuery } from '@/server/http/schemas';
import { searchUsers } from '@/server/queries';

export const dynamic = 'force-dynamic';

/** The users matching a mask, one page at a time. */
export const GET = apiRoute<{ id: string }>(async (request, params) => {
  const replicator = replicatorFrom(params);
  const { mask, ...page } = parseQuery(request, UsersQuery);
  return searchUsers(replicator, mask, page);
});

/** Adds a user, or the userdb's users of a wildcard mask. */
export const POST = apiRoute<{ id: string }>(async (request, params) => {
  const replicator = replicatorFrom(params);
  const { mask } = await parseBody(request, AddBody);
  return addUsers(replicator, mask);
});
