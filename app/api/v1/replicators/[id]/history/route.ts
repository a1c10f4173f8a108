import { z } from 'zod';

import { apiRoute, parseQuery, replicatorFrom } from '@/server/http/route';
import { HISTORY_RANGES, history, type HistoryRange } from '@/server/queries';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

const HistoryQuery = z.object({
  range: z.enum(Object.keys(HISTORY_RANGES) as [HistoryRange, ...HistoryRange[]]).default('1h'),
});

/** The queue counters over the last 15 min, hour, day or week. */
export const GET = apiRoute<{ id: string }>('read', async (request, params) => {
  const replicator = replicatorFrom(params);
  const { range } = parseQuery(request, HistoryQuery);
  return history(replicator, getRuntime().history, range);
});
