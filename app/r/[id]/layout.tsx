import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';

import { ReplicatorShell } from '@/components/layout/replicator-shell';
import { SignedInProviders } from '@/components/providers';
import { decodeSegment } from '@/lib/paths';
import { currentSession } from '@/server/auth/page-session';

export default async function ReplicatorLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ id: string }>;
}) {
  const session = await currentSession();
  if (session === null) redirect('/login');

  const { id } = await params;
  return (
    <SignedInProviders session={session}>
      <ReplicatorShell replicatorId={decodeSegment(id)}>{children}</ReplicatorShell>
    </SignedInProviders>
  );
}
