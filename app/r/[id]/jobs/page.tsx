import type { Metadata } from 'next';

import { JobsView } from '@/components/jobs/jobs-view';
import { decodeSegment } from '@/lib/paths';

export const metadata: Metadata = { title: 'Jobs' };

export default async function JobsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <JobsView replicatorId={decodeSegment(id)} />;
}
