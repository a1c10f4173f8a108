import { addressesFor } from '@/server/auth/addresses';
import { apiRoute } from '@/server/http/route';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

export const GET = apiRoute('read', async (_request, _params, who) => {
  const replicators = getRuntime().replicators.all();
  return addressesFor(who, { replicators: replicators.map((r) => r.hub.state) }, replicators);
});
