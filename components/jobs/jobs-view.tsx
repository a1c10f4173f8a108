'use client';

import Link from 'next/link';

import type { JobSummary } from '@/lib/api-types';
import { useJobs } from '@/lib/jobs';
import { jobPath } from '@/lib/paths';

import { MaskText } from '../ui/mask';
import { ErrorNotice } from '../ui/notice';
import { PageTitle, Panel } from '../ui/panel';
import { EmptyRow, Table, Td, Th } from '../ui/table';
import { TimeAgo } from '../ui/time';
import { JobProgress } from './job-progress';

/** Every replicate started from the dashboard on this replicator, newest first. */
export function JobsView({ replicatorId }: { replicatorId: string }) {
  const jobs = useJobs();
  const mine = jobs.data?.jobs.filter((job) => job.replicator === replicatorId);

  return (
    <>
      <PageTitle>Replicate jobs</PageTitle>
      {jobs.error !== null && <ErrorNotice title="Could not read the jobs" error={jobs.error} />}
      <Panel>
        <Table caption="Replicate jobs">
          <thead>
            <tr>
              <Th>Started</Th><Th>By</Th><Th>Mask</Th><Th>Priority</Th><Th>Progress</Th>
            </tr>
          </thead>
          <tbody>
            {mine === undefined && <EmptyRow columns={5}>Loading…</EmptyRow>}
            {mine?.length === 0 && <EmptyRow columns={5}>No jobs yet.</EmptyRow>}
            {mine?.map((job) => <JobRow key={job.id} job={job} />)}
          </tbody>
        </Table>
      </Panel>
    </>
  );
}

function JobRow({ job }: { job: JobSummary }) {
  return (
    <tr>
      <Td><Link className="underline" href={jobPath(job.replicator, job.id)}>
        <TimeAgo iso={job.startedAt} /></Link></Td>
      <Td>{job.startedBy}</Td>
      <Td><MaskText mask={job.mask} /></Td>
      <Td>{job.priority}{job.full ? ', full' : ''}</Td>
      <Td className="w-96 whitespace-normal"><JobProgress job={job} link={false} /></Td>
    </tr>
  );
}
