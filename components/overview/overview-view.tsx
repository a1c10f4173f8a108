'use client';

import { useJobs } from '@/lib/jobs';
import { useDsyncs, useOverview } from '@/lib/queries';
import { useSession } from '@/lib/session';

import { Freshness } from '../layout/freshness';
import { ErrorNotice } from '../ui/notice';
import { PageTitle } from '../ui/panel';
import { CounterCards } from './counter-cards';
import { DsyncTable } from './dsync-table';
import { HistoryChart } from './history-chart';
import { StaleUsers } from './stale-users';

/**
 * The replicator counts its queue as a whole, not by domain: an account limited to some
 * domains is told that the counters, the stale count and the history include every domain.
 */
function WholeReplicatorNote() {
  const { domains } = useSession();
  if (domains === null) return null;
  return (
    <p className="mt-2 text-xs text-zinc-500">
      The counters, the stale count and the history are the whole replicator&apos;s, every
      domain included; the users and dsyncs you see are those of {domains.join(', ')} only.
    </p>
  );
}

export function OverviewView({ replicatorId }: { replicatorId: string }) {
  const overview = useOverview(replicatorId);
  const dsyncs = useDsyncs(replicatorId);
  const jobs = useJobs();
  const jobMarks = (jobs.data?.jobs ?? [])
    .filter((job) => job.replicator === replicatorId)
    .map((job) => ({ time: Date.parse(job.startedAt), label: job.mask }));

  return (
    <>
      <PageTitle aside={<Freshness replicatorId={replicatorId} at={overview.data?.at} />}>
        Replication queue
      </PageTitle>
      {overview.error !== null && overview.data === undefined ? (
        <ErrorNotice title="Could not read the queue" error={overview.error} />
      ) : (
        <CounterCards overview={overview.data} />
      )}
      <WholeReplicatorNote />
      <div className="mt-3">
        <StaleUsers replicatorId={replicatorId} />
      </div>
      <div className="mt-5">
        <HistoryChart replicatorId={replicatorId} marks={jobMarks} />
      </div>
      <div className="mt-5">
        <DsyncTable replicatorId={replicatorId} query={dsyncs} />
      </div>
    </>
  );
}

