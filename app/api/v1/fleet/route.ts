import { fleetOverview } from '@/server/fleet';
import { apiRoute } from '@/server/http/route';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** Every replicator's counters, reachability and dsyncs as last polled, with totals. */
export const GET = apiRoute('read', async (_request, _params, who) =>
  fleetOverview(getRuntime().replicators, who),
);
