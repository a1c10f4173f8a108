import type { ReactNode } from 'react';

import { ReplicatorShell } from '@/components/layout/replicator-shell';
import { decodeSegment } from '@/lib/paths';

export default async function ReplicatorLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ id: string }>;
}) {
  const { id } = await params;
  return <ReplicatorShell replicatorId={decodeSegment(id)}>{children}</ReplicatorShell>;
}
