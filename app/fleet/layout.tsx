import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';

import { AppHeader } from '@/components/layout/app-header';
import { SignedInProviders } from '@/components/providers';
import { currentSession } from '@/server/auth/page-session';

// Who is signed in is read per request: nothing here can be rendered at build time.
export const dynamic = 'force-dynamic';

/** The frame of the pages about all replicators at once. */
export default async function FleetLayout({ children }: { children: ReactNode }) {
  const session = await currentSession();
  if (session === null) redirect('/login');

  return (
    <SignedInProviders session={session}>
      <AppHeader />
      <main className="mx-auto max-w-7xl px-4 py-5">{children}</main>
    </SignedInProviders>
  );
}
