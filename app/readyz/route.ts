import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** Readiness: 503 while any configured replicator is unreachable, saying which and why. */
export function GET(): Response {
  const states = getRuntime().replicators.all().map((r) => r.hub.state);
  const down = states.filter((state) => !state.connected);
  const status = down.length === 0 ? 200 : 503;
  return Response.json(
    { status: down.length === 0 ? 'ready' : 'unavailable', replicators: states },
    { status, headers: { 'Cache-Control': 'no-store' } },
  );
}
