'use client';

import type { ReactNode } from 'react';

import { useReplicatorFeed } from '@/lib/replicator-feed';

import { AppHeader } from './app-header';

/** The frame of every page about one replicator; it also keeps that replicator's feed open. */
export function ReplicatorShell({
  replicatorId,
  children,
}: {
  replicatorId: string;
  children: ReactNode;
}) {
  useReplicatorFeed(replicatorId);

  return (
    <>
      <AppHeader replicatorId={replicatorId} />
      <main className="mx-auto max-w-7xl px-4 py-5">{children}</main>
    </>
  );
}
