'use client';

import Link from 'next/link';

import type { ReplicatorUser } from '@/lib/api-types';
import { pairPath, useFleet, usePairUser } from '@/lib/fleet-client';
import type { PairSide } from '@/lib/fleet-types';

import { Badge } from '../ui/badge';
import { Panel } from '../ui/panel';
import { Table, Td, Th } from '../ui/table';
import { TimeAgo } from '../ui/time';

const ROWS: { label: string; field: 'lastFastSync' | 'lastFullSync' | 'lastSuccessfulSync' }[] = [
  { label: 'Last fast sync', field: 'lastFastSync' },
  { label: 'Last full sync', field: 'lastFullSync' },
  { label: 'Last successful sync', field: 'lastSuccessfulSync' },
];

/** Both sides of the two-way pair this replicator is in, for one user; nothing otherwise. */
export function PairSides({ replicatorId, username }: { replicatorId: string; username: string }) {
  const { data: fleet } = useFleet();
  const pair = fleet?.pairs.find((p) => p.replicators.includes(replicatorId));
  const { data } = usePairUser(pair?.id, username);
  if (pair === undefined || data === undefined) return null;

  const [a, b] = data.sides;
  const aside = <Link href={pairPath(pair.id)} className="text-sky-800 hover:underline">
    users whose sides disagree
  </Link>;
  return (
    <Panel title={`Both sides of ${pair.name}`} aside={aside} className="mt-4">
      <Table caption={`${username} on both sides of ${pair.name}`}>
        <thead>
          <tr><Th>Field</Th><Th>{a.name}</Th><Th>{b.name}</Th></tr>
        </thead>
        <tbody>
          {ROWS.map(({ label, field }) => (
            <tr key={field}>
              <Td>{label}</Td>
              <Td><SideValue side={a} show={(u) => <TimeAgo iso={u[field]} />} /></Td>
              <Td><SideValue side={b} show={(u) => <TimeAgo iso={u[field]} />} /></Td>
            </tr>
          ))}
          <tr>
            <Td>Failed</Td>
            <Td><SideValue side={a} show={failedText} /></Td>
            <Td><SideValue side={b} show={failedText} /></Td>
          </tr>
        </tbody>
      </Table>
    </Panel>
  );
}

function SideValue({ side, show }: {
  side: PairSide;
  show: (user: ReplicatorUser) => React.ReactNode;
}) {
  if (side.error !== null) return <span className="text-red-800">{side.error.message}</span>;
  if (side.user === null) return <span className="text-zinc-500">not known to this side</span>;
  return <>{show(side.user)}</>;
}

function failedText(user: ReplicatorUser) {
  return user.failed ? <Badge tone="alarm">failed</Badge> : <span>no</span>;
}
