import { maskWithinDomains } from '@/server/auth/policy';
import { ApiError } from '@/server/http/api-error';
import { apiRoute, parseQuery } from '@/server/http/route';
import { JobQuery } from '@/server/http/schemas';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** One job: its counts and state, and its users by state, a page at a time. */
export const GET = apiRoute<{ id: string }>('read', async (request, params, who) => {
  const { state, offset, limit } = parseQuery(request, JobQuery);
  const detail = await getRuntime().jobs.detail(params.id, state, offset, limit);
  // Another domain's job does not exist for a domain-limited account.
  if (detail === undefined || !maskWithinDomains(who, detail.job.mask)) {
    throw new ApiError(404, 'job_not_found', `no job ${params.id}`);
  }
  return detail;
});
