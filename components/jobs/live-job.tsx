'use client';

import { useJob } from '@/lib/jobs';

import { JobProgress } from './job-progress';

/** The progress of a job just started here, until it is over. */
export function LiveJob({ jobId }: { jobId: string }) {
  const detail = useJob(jobId);
  if (detail.data === undefined) return null;
  return <JobProgress job={detail.data.job} />;
}
