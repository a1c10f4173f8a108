'use client';

import Link from 'next/link';
import { useState } from 'react';

import type { JobUserState } from '@/lib/api-types';
import { useJob } from '@/lib/jobs';
import { jobsPath, userPath } from '@/lib/paths';

import { MaskText } from '../ui/mask';
import { ErrorNotice } from '../ui/notice';
import { PageTitle, Panel } from '../ui/panel';
import { EmptyRow, Table, Td, Th } from '../ui/table';
import { JobProgress } from './job-progress';

/** The states a person looks into first: what went wrong. */
const LISTS: { state: JobUserState; label: string }[] = [
  { state: 'failed', label: 'Failed' },
  { state: 'gone', label: 'Gone (unknown to the userdb)' },
  { state: 'running', label: 'Running' },
  { state: 'waiting', label: 'Waiting' },
  { state: 'done', label: 'Done' },
];

/** One job: its progress, and its users of one state. */
export function JobView({ replicatorId, jobId }: { replicatorId: string; jobId: string }) {
  const [state, setState] = useState<JobUserState>('failed');
  const detail = useJob(jobId, state);
  const job = detail.data?.job;

  return (
    <>
      <Link href={jobsPath(replicatorId)} className="text-sm underline">All jobs</Link>
      <PageTitle>
        Job <MaskText mask={job?.mask ?? jobId} />
      </PageTitle>
      {detail.error !== null && (
        <ErrorNotice title="Could not read the job" error={detail.error} />
      )}
      {job !== undefined && (
        <Panel className="mb-4">
          <div className="p-4">
            <p className="mb-2 text-sm text-zinc-600">
              {job.priority} priority{job.full ? ', full sync' : ''}, started by {job.startedBy}
            </p>
            <JobProgress job={job} link={false} />
          </div>
        </Panel>
      )}
      <StatePicker value={state} onChange={setState} />
      <Panel>
        <Table caption={`Users ${state}`}>
          <thead><tr><Th>User</Th><Th>State</Th></tr></thead>
          <tbody>
            {detail.data?.users.length === 0 && <EmptyRow columns={2}>None.</EmptyRow>}
            {detail.data?.users.map(({ username, state: s }) => (
              <tr key={username}>
                <Td className="font-mono">
                  <Link className="underline" href={userPath(replicatorId, username)}>
                    {username}
                  </Link>
                </Td>
                <Td>{s}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Panel>
    </>
  );
}

function StatePicker({ value, onChange }: {
  value: JobUserState;
  onChange: (state: JobUserState) => void;
}) {
  return (
    <div role="group" aria-label="Users by state" className="mb-2 flex flex-wrap gap-1 text-sm">
      {LISTS.map(({ state, label }) => (
        <button key={state} type="button" aria-pressed={value === state}
          onClick={() => onChange(state)}
          className={'rounded border border-zinc-200 px-2 py-0.5 ' +
            'aria-pressed:bg-zinc-900 aria-pressed:text-white'}>
          {label}
        </button>
      ))}
    </div>
  );
}
