import { apiRoute, replicatorFrom } from '@/server/http/route';
import { overview } from '@/server/queries';

export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string }>('read', async (_request, params) =>
  overview(replicatorFrom(params)),
);
