import { apiRoute, replicatorFrom } from '@/server/http/route';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** How many users are stale (no successful sync within the threshold), as last counted. */
export const GET = apiRoute<{ id: string }>('read', async (_request, params) => {
  const replicator = replicatorFrom(params);
  const { staleUsers } = getRuntime();
  const count = staleUsers.get(replicator.id);
  const counting = staleUsers.enabled;
  if (count === undefined) {
    return { staleAfterSeconds: staleUsers.staleAfterSeconds, count: null, at: null, counting };
  }
  return { ...count, counting };
});
