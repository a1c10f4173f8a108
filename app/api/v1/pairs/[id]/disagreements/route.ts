import { DisagreementsQuery } from '@/server/http/fleet-schemas';
import { apiRoute, pairFrom, parseQuery } from '@/server/http/route';
import { disagreements } from '@/server/pairs';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** The users on which the pair's two sides disagree: failed, missing or far behind. */
export const GET = apiRoute<{ id: string }>('read', async (request, params, who) => {
  const pair = pairFrom(params);
  const { behindSeconds, ...page } = parseQuery(request, DisagreementsQuery);
  const { replicators, config } = getRuntime();
  const query = { behindSeconds: behindSeconds ?? config.pairBehindSeconds, ...page };
  return disagreements(replicators, pair, query, who, config.fleetTimeoutMs);
});
