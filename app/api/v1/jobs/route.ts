import { visibleJobs } from '@/server/auth/visibility';
import { apiRoute, parseQuery } from '@/server/http/route';
import { JobsQuery } from '@/server/http/schemas';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** Replicate jobs, newest first, with their progress; a limited account's domains only. */
export const GET = apiRoute('read', async (request, _params, who) => {
  const { offset, limit } = parseQuery(request, JobsQuery);
  return visibleJobs(who, getRuntime().jobs, offset, limit);
});
