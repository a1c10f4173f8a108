/**
 * Queries of replicate jobs. A running job is asked for once a second, as the hub polls;
 * a finished one no more.
 */
import { useQuery } from '@tanstack/react-query';

import { api } from './api-client';
import type { JobUserState } from './api-types';

const RUNNING_REFRESH_MS = 1000;

export const jobKeys = {
  all: ['jobs'] as const,
  one: (jobId: string, state: JobUserState | undefined, offset: number) =>
    ['jobs', jobId, state ?? 'all', offset] as const,
};

export function useJobs() {
  return useQuery({
    queryKey: jobKeys.all,
    queryFn: () => api.jobs(),
    refetchInterval: (query) =>
      query.state.data?.jobs.some((job) => job.state === 'running') ? RUNNING_REFRESH_MS : 10_000,
  });
}

export function useJob(jobId: string, state?: JobUserState, offset = 0) {
  return useQuery({
    queryKey: jobKeys.one(jobId, state, offset),
    queryFn: () => api.job(jobId, state, offset),
    refetchInterval: (query) =>
      query.state.data?.job.state === 'running' ? RUNNING_REFRESH_MS : false,
    placeholderData: (previous) => previous,
  });
}
