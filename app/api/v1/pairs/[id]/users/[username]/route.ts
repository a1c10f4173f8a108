import { seesUser } from '@/server/auth/policy';
import { ApiError } from '@/server/http/api-error';
import { apiRoute, pairFrom, usernameFrom } from '@/server/http/route';
import { pairUser } from '@/server/pairs';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** One user on both sides of a pair, side by side; another domain's user is unknown. */
export const GET = apiRoute<{ id: string; username: string }>('read', async (_r, params, who) => {
  const pair = pairFrom(params);
  const username = usernameFrom(params);
  if (!seesUser(who, username)) {
    throw new ApiError(404, 'user_not_found', `neither side knows ${username}`);
  }
  const { replicators, config } = getRuntime();
  return pairUser(replicators, pair, username, config.fleetTimeoutMs, who);
});
