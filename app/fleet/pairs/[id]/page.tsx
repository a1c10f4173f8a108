import type { Metadata } from 'next';
import { Suspense } from 'react';

import { DisagreementsView } from '@/components/fleet/disagreements-view';
import { decodeSegment } from '@/lib/paths';

export const metadata: Metadata = { title: 'Pair: users whose sides disagree' };

export default async function PairPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense>
      <DisagreementsView pairId={decodeSegment(id)} />
    </Suspense>
  );
}
