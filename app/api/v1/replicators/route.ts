import { addressesFor } from '@/server/auth/addresses';
import { replicatorInfo } from '@/server/fleet';
import { apiRoute } from '@/server/http/route';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** Each replicator's state, name and transport; its address for operators only. */
export const GET = apiRoute('read', async (_request, _params, who) => {
  const replicators = getRuntime().replicators.all();
  const states = replicators.map((r) => ({ ...r.hub.state, ...replicatorInfo(r, who) }));
  return { replicators: addressesFor(who, states, replicators) };
});
