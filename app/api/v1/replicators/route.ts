import { apiRoute } from '@/server/http/route';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

export const GET = apiRoute('read', async () => ({
  replicators: getRuntime().replicators.all().map((r) => r.hub.state),
}));
