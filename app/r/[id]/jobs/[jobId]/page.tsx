import type { Metadata } from 'next';

import { JobView } from '@/components/jobs/job-view';
import { decodeSegment } from '@/lib/paths';

export const metadata: Metadata = { title: 'Job' };

export default async function JobPage({
  params,
}: {
  params: Promise<{ id: string; jobId: string }>;
}) {
  const { id, jobId } = await params;
  return <JobView replicatorId={decodeSegment(id)} jobId={decodeSegment(jobId)} />;
}
