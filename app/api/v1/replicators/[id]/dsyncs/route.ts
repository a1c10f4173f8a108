import { visibleDsyncs } from '@/server/auth/visibility';
import { apiRoute, replicatorFrom } from '@/server/http/route';
import { dsyncs } from '@/server/queries';

export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string }>('read', async (_request, params, who) =>
  visibleDsyncs(who, await dsyncs(replicatorFrom(params))),
);
