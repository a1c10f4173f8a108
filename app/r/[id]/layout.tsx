import { notFound, redirect } from 'next/navigation';
import type { ReactNode } from 'react';

import { ReplicatorShell } from '@/components/layout/replicator-shell';
import { SignedInProviders } from '@/components/providers';
import { decodeSegment } from '@/lib/paths';
import { currentSession } from '@/server/auth/page-session';
import { getRuntime } from '@/server/runtime';

export default async function ReplicatorLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ id: string }>;
}) {
  const session = await currentSession();
  if (session === null) redirect('/login');

  const replicatorId = decodeSegment((await params).id);
  if (getRuntime().replicators.get(replicatorId) === undefined) notFound();

  return (
    <SignedInProviders session={session}
      websocketOnly={getRuntime().config.cluster.liveTransport === 'websocket'}>
      <ReplicatorShell replicatorId={replicatorId}>{children}</ReplicatorShell>
    </SignedInProviders>
  );
}
