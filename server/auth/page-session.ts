/**
 * The signed-in person for a server component (a layout or page), read from the request's
 * cookie or headers the way API routes read it. The custom server has already sent anybody
 * without one to the login page; layouts ask again so a page can never render for nobody.
 */
import { headers } from 'next/headers';

import type { SessionInfo } from '@/lib/api-types';

import { getRuntime } from '../runtime';
import { fromHeaders } from './request-info';

/** Who is signed in for this page request; null for nobody. */
export async function currentSession(): Promise<SessionInfo | null> {
  const outcome = await getRuntime().auth.authenticate(fromHeaders(await headers()));
  if (outcome.kind !== 'ok') return null;
  const { name, role, domains, via } = outcome.identity;
  return { name, role, domains: domains?.slice() ?? null, via };
}
