import type { Metadata } from 'next';

import { OverviewView } from '@/components/overview/overview-view';
import { decodeSegment } from '@/lib/paths';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <OverviewView replicatorId={decodeSegment(id)} />;
}
