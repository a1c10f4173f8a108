/**
 * The signed-in person in the browser: who they are (given by the server layout, which
 * read the session cookie), what their role lets them do, and signing in and out. The
 * server enforces every rule again; this only leaves out controls that would be refused.
 */
'use client';

import { createContext, useContext } from 'react';

import { decide, replicatePermission, type Permission } from '@/server/auth/policy';

import { api } from './api-client';
import type { SessionInfo } from './api-types';
import { loginPath } from './paths';

export const SessionContext = createContext<SessionInfo | null>(null);

/** The signed-in person; pages below the authenticated layouts always have one. */
export function useSession(): SessionInfo {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside a signed-in page');
  return session;
}

/** Whether the signed-in person may do this, to this mask when it has one. */
export function useCan(): (permission: Permission, mask?: string) => boolean {
  const session = useSession();
  return (permission, mask) => decide(session, permission, mask).ok;
}

/** Whether the signed-in person may replicate this mask (one user, or a wildcard). */
export function useCanReplicate(mask: string): boolean {
  return useCan()(replicatePermission(mask), mask);
}

/** Set while signing out, when "the session is gone" is expected and not a reason to return. */
let signingOut = false;

/** Ends the session, then leaves for the login page (a full load: no cached data stays). */
export async function signOut(): Promise<void> {
  signingOut = true;
  await api.signOut().catch(() => undefined);
  window.location.assign('/login');
}

/** Sends the browser to the login page, to come back here afterwards. */
export function goToLogin(): void {
  if (signingOut || window.location.pathname === '/login') return;
  const here = `${window.location.pathname}${window.location.search}`;
  window.location.assign(loginPath(here));
}
