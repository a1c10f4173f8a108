/**
 * Pages need a signed-in person: the custom server checks every page request before Next
 * sees it, and sends whoever has no identity to the login page with the address they asked
 * for, so a ticket's link to a user page still lands there after signing in. API routes and
 * socket.io answer 401 themselves; the login page, Next's assets and the icon are open.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { loginPath } from '@/lib/paths';

import { fromNodeRequest } from './request-info';
import type { AuthService } from './service';

const OPEN = [/^\/login\/?$/, /^\/_next\//, /^\/api\//, /^\/icon\.svg$/, /^\/favicon\.ico$/,
  /^\/metrics$/, /^\/healthz$/, /^\/readyz$/];

/** Whether the request still goes to Next; false when it was answered here. */
export async function passPageGate(
  auth: AuthService,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<boolean> {
  const url = request.url ?? '/';
  const path = url.split('?')[0] ?? '/';
  if (OPEN.some((open) => open.test(path))) return true;

  const outcome = await auth.authenticate(fromNodeRequest(request));
  if (outcome.kind === 'ok') {
    if (outcome.setCookie !== null) response.appendHeader('Set-Cookie', outcome.setCookie);
    return true;
  }
  if (outcome.kind === 'refused') {
    response.writeHead(outcome.status, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(`${outcome.message}\n`);
    return false;
  }
  response.writeHead(303, { Location: loginPath(url), 'Cache-Control': 'no-store' });
  response.end();
  return false;
}
