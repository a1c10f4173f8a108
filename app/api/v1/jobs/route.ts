import { apiRoute, parseQuery } from '@/server/http/route';
import { JobsQuery } from '@/server/http/schemas';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** Replicate jobs, newest first, with their progress. */
export const GET = apiRoute('read', async (request) => {
  const { offset, limit } = parseQuery(request, JobsQuery);
  return getRuntime().jobs.list(offset, limit);
});
