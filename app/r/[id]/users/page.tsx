import type { Metadata } from 'next';
import { Suspense } from 'react';

import { UsersView } from '@/components/users/users-view';
import { decodeSegment } from '@/lib/paths';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // The search lives in the URL and is read in the browser (useSearchParams).
  return (
    <Suspense>
      <UsersView replicatorId={decodeSegment(id)} />
    </Suspense>
  );
}
