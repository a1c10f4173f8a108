import { searchFleet } from '@/server/fleet';
import { FleetUsersQuery } from '@/server/http/fleet-schemas';
import { apiRoute, parseQuery } from '@/server/http/route';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** A mask's users on every replicator at once, merged; silent replicators are named. */
export const GET = apiRoute('read', async (request, _params, who) => {
  const { mask, fresh, ...page } = parseQuery(request, FleetUsersQuery);
  const { replicators, config } = getRuntime();
  return searchFleet(replicators, mask, page, who, { timeoutMs: config.fleetTimeoutMs, fresh });
});
