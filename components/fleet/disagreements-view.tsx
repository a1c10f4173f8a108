'use client';

import { useSearchParams } from 'next/navigation';

import type { ReplicatorUser } from '@/lib/api-types';
import { useDisagreements } from '@/lib/fleet-client';
import type { Disagreement, DisagreementsAnswer } from '@/lib/fleet-types';
import { formatCount } from '@/lib/format';

import { Badge } from '../ui/badge';
import { Notice } from '../ui/notice';
import { PageTitle, Panel } from '../ui/panel';
import { EmptyRow, Table, Td, Th } from '../ui/table';
import { TimeAgo } from '../ui/time';
import { UserLink } from '../users/cells';

/** The users on which a pair's two sides disagree, and why. */
export function DisagreementsView({ pairId }: { pairId: string }) {
  const raw = useSearchParams().get('behindSeconds');
  const behind = raw !== null && /^\d+$/.test(raw) ? Number(raw) : undefined;
  const { data, error } = useDisagreements(pairId, behind);

  return (
    <>
      <PageTitle aside={data && <>as of <TimeAgo iso={data.at} /></>}>
        {data?.pair.name ?? pairId}: users whose sides disagree
      </PageTitle>
      {error !== null && <Notice kind="error" title="Could not compare">{error.message}</Notice>}
      {data !== undefined && <Rule data={data} />}
      {data !== undefined && data.errors.length > 0 && (
        <Notice kind="warning" title="A side did not answer; nothing was compared">
          <ul className="list-disc pl-5">
            {data.errors.map((e) => <li key={e.replicator}>{e.replicator}: {e.error.message}</li>)}
          </ul>
        </Notice>
      )}
      <Panel title="Disagreements" aside={data && `${formatCount(data.total)} users`}>
        <DisagreementsTable data={data} />
      </Panel>
    </>
  );
}

function Rule({ data }: { data: DisagreementsAnswer }) {
  return (
    <p className="mb-3 text-sm text-zinc-600">
      Listed: a user one side marks failed, one side does not know, or whose last successful
      sync on one side is more than {duration(data.behindSeconds)} older than on the
      other (PAIR_BEHIND_SECONDS, or <code>?behindSeconds=</code>).
    </p>
  );
}

function DisagreementsTable({ data }: { data: DisagreementsAnswer | undefined }) {
  const [a, b] = data?.pair.replicators ?? ['', ''];
  return (
    <Table caption="Users whose sides disagree">
      <thead>
        <tr>
          <Th>Username</Th><Th>Why</Th><Th>Side</Th>
          <Th>{a}: last successful</Th><Th>{b}: last successful</Th>
        </tr>
      </thead>
      <tbody>
        {data === undefined && <EmptyRow columns={5}>Comparing…</EmptyRow>}
        {data?.disagreements.length === 0 && <EmptyRow columns={5}>The sides agree.</EmptyRow>}
        {data?.disagreements.map((d) => <DisagreementRow key={d.username} d={d} />)}
      </tbody>
    </Table>
  );
}

function DisagreementRow({ d }: { d: Disagreement }) {
  return (
    <tr>
      <Td><UserLink replicatorId={d.side} username={d.username} /></Td>
      <Td><Reason d={d} /></Td>
      <Td>{d.side}</Td>
      <Td><LastSuccess user={d.sides[0]} /></Td>
      <Td><LastSuccess user={d.sides[1]} /></Td>
    </tr>
  );
}

function Reason({ d }: { d: Disagreement }) {
  if (d.reason === 'failed') return <Badge tone="alarm">failed</Badge>;
  if (d.reason === 'missing') return <Badge tone="amber">missing on one side</Badge>;
  const by = d.behindSeconds === null ? 'never synced' : duration(d.behindSeconds);
  return <Badge tone="amber">{`behind: ${by}`}</Badge>;
}

function LastSuccess({ user }: { user: ReplicatorUser | null }) {
  if (user === null) return <span className="text-zinc-500">not known</span>;
  return <TimeAgo iso={user.lastSuccessfulSync} />;
}

/** A length of time in the largest unit that keeps it readable. */
function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} days`;
}
