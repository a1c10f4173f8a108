import { replicate } from '@/server/actions';
import { apiRoute, parseBody, replicatorFrom } from '@/server/http/route';
import { ReplicateBody } from '@/server/http/schemas';

export const dynamic = 'force-dynamic';

/** Queues a user or a mask for replication, at high or low priority, optionally full. */
export const POST = apiRoute<{ id: string }>(async (request, params) => {
  const replicator = replicatorFrom(params);
  const body = await parseBody(request, ReplicateBody);
  return replicate(replicator, body);
});
