import type { SessionInfo } from '@/lib/api-types';
import { fromHeaders } from '@/server/auth/request-info';
import type { Identity } from '@/server/auth/service';
import { apiRoute, parseBody, publicRoute, refusalResponse } from '@/server/http/route';
import { SignInBody } from '@/server/http/schemas';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** Who is signed in, with their role and domains. */
export const GET = apiRoute('read', async (_request, _params, who) => sessionInfo(who));

/** Signs in with a name and password: a session cookie, or 401 / 429. */
export const POST = publicRoute(async (request) => {
  const { name, password } = await parseBody(request, SignInBody);
  const outcome = await getRuntime().auth.signIn(fromHeaders(request.headers), name, password);
  if (outcome.kind === 'refused') return refusalResponse(outcome);

  const response = Response.json(sessionInfo(outcome.identity), {
    headers: { 'Cache-Control': 'no-store' },
  });
  response.headers.append('Set-Cookie', outcome.setCookie);
  return response;
});

/** Signs out: the session ends here and now, for every copy of its cookie. */
export const DELETE = apiRoute('read', async (request, _params, who) => {
  const ended = await getRuntime().auth.signOut(who, fromHeaders(request.headers));
  if ('kind' in ended) return refusalResponse(ended);

  const response = Response.json({ ok: true }, { headers: { 'Cache-Control': 'no-store' } });
  response.headers.append('Set-Cookie', ended.setCookie);
  return response;
});

function sessionInfo(who: Identity): SessionInfo {
  return { name: who.name, role: who.role, domains: who.domains?.slice() ?? null, via: who.via };
}
