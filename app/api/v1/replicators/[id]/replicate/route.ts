import { replicatePermission } from '@/server/auth/policy';
import { replicate } from '@/server/actions';
import { actionRoute, parseBody, replicatorFrom } from '@/server/http/route';
import { ReplicateBody } from '@/server/http/schemas';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** Queues a user (helpdesk) or a mask (operator) for replication, optionally full. */
export const POST = actionRoute<{ id: string }>(
  'replicate',
  'replicate-user',
  async (request, params, audit) => {
    const replicator = replicatorFrom(params);
    const body = await parseBody(request, ReplicateBody);
    const permission = replicatePermission(body.mask);
    const details = { replicator: replicator.id, ...body, permission };
    const { jobs } = getRuntime();
    const mayAdd = audit.may('add');
    return audit.run(details, () => replicate(replicator, body, jobs, audit.actor, mayAdd));
  },
);
