import type { Metadata } from 'next';
import { Suspense } from 'react';

import { AuditView } from '@/components/audit/audit-view';
import { decodeSegment } from '@/lib/paths';

export const metadata: Metadata = { title: 'Audit trail' };

export default async function AuditPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // The filters live in the URL and are read in the browser (useSearchParams).
  return (
    <Suspense>
      <AuditView replicatorId={decodeSegment(id)} />
    </Suspense>
  );
}
