import { withoutAddresses } from '@/server/auth/addresses';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** Readiness: 503 while any configured replicator is unreachable, saying which and why. */
export function GET(): Response {
  const replicators = getRuntime().replicators.all();
  // Anybody may probe readiness: the reasons are told without where the replicators live.
  const states = withoutAddresses(replicators.map((r) => r.hub.state), replicators);
  const down = states.filter((state) => !state.connected);
  const status = down.length === 0 ? 200 : 503;
  return Response.json(
    { status: down.length === 0 ? 'ready' : 'unavailable', replicators: states },
    { status, headers: { 'Cache-Control': 'no-store' } },
  );
}
