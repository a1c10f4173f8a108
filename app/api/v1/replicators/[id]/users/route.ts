import { addUsers } from '@/server/actions';
import { searchWithin } from '@/server/auth/visibility';
import {
  actionRoute,
  apiRoute,
  parseBody,
  parseQuery,
  replicatorFrom,
} from '@/server/http/route';
import { AddBody, UsersQuery } from '@/server/http/schemas';
import { searchUsers } from '@/server/queries';

export const dynamic = 'force-dynamic';

/** The users matching a mask, one page at a time; only their domains' for a limited account. */
export const GET = apiRoute<{ id: string }>('read', async (request, params, who) => {
  const replicator = replicatorFrom(params);
  const { mask, fresh, ...page } = parseQuery(request, UsersQuery);
  if (who.domains !== null) return searchWithin(replicator, mask, page, who.domains, fresh);
  return searchUsers(replicator, mask, page, fresh);
});

/** Adds a user, or the userdb's users of a wildcard mask. */
export const POST = actionRoute<{ id: string }>('add', 'add', async (request, params, audit) => {
  const replicator = replicatorFrom(params);
  const { mask } = await parseBody(request, AddBody);
  const details = { replicator: replicator.id, mask, permission: 'add' as const };
  return audit.run(details, () => addUsers(replicator, mask));
});
