'use client';

import Link from 'next/link';

import type { FleetAnswer, FleetReplicator, OverviewCounts } from '@/lib/fleet-types';
import { pairPath, useFleet } from '@/lib/fleet-client';
import { formatCount } from '@/lib/format';
import { replicatorPath } from '@/lib/paths';

import { Badge } from '../ui/badge';
import { Notice } from '../ui/notice';
import { PageTitle, Panel } from '../ui/panel';
import { EmptyRow, Table, Td, Th } from '../ui/table';
import { TimeAgo } from '../ui/time';

const COLUMNS: { key: keyof OverviewCounts; label: string }[] = [
  { key: 'queuedSync', label: 'Sync' },
  { key: 'queuedHigh', label: 'High' },
  { key: 'queuedLow', label: 'Low' },
  { key: 'queuedFailed', label: 'Queued failed' },
  { key: 'queuedFullResync', label: 'Full resync' },
  { key: 'waitingFailed', label: 'Waiting failed' },
  { key: 'totalUsers', label: 'Users' },
];

/** Every replicator's queue side by side, with totals over those that answered. */
export function FleetView() {
  const { data, error } = useFleet();

  return (
    <>
      <PageTitle aside={data && <>as of <TimeAgo iso={data.at} /></>}>All replicators</PageTitle>
      {error !== null && <Notice kind="error" title="The fleet could not be read">
        {error.message}
      </Notice>}
      <Panel title="Queues" aside={data && reachability(data)}>
        <FleetTable data={data} />
      </Panel>
      {data !== undefined && data.pairs.length > 0 && <PairsPanel data={data} />}
    </>
  );
}

function reachability({ totals }: FleetAnswer): string {
  const down = totals.unreachable === 0 ? '' : `, ${totals.unreachable} not answering`;
  return `${totals.reachable} answering${down}`;
}

function FleetTable({ data }: { data: FleetAnswer | undefined }) {
  const span = COLUMNS.length + 3;
  return (
    <Table caption="Replicators">
      <thead>
        <tr>
          <Th>Replicator</Th>
          <Th>State</Th>
          {COLUMNS.map((c) => <Th key={c.key} className="text-right">{c.label}</Th>)}
          <Th>Running dsyncs</Th>
        </tr>
      </thead>
      <tbody>
        {data === undefined && <EmptyRow columns={span}>Loading…</EmptyRow>}
        {data?.replicators.map((r) => <ReplicatorRow key={r.id} replicator={r} />)}
      </tbody>
      {data !== undefined && <TotalsRow data={data} />}
    </Table>
  );
}

function ReplicatorRow({ replicator: r }: { replicator: FleetReplicator }) {
  return (
    <tr>
      <Td>
        <Link href={replicatorPath(r.id)} className="font-medium text-sky-800 hover:underline">
          {r.name}
        </Link>
        {r.transport.kind === 'doveadm-http' && (
          <span className="ml-2 text-xs text-zinc-500">HTTP API</span>
        )}
      </Td>
      <Td className="whitespace-normal"><StateCell replicator={r} /></Td>
      {COLUMNS.map((c) => (
        <Td key={c.key} className="text-right">
          {r.overview === null ? <Unknown /> : formatCount(r.overview[c.key])}
        </Td>
      ))}
      <Td className="whitespace-normal"><DsyncsCell replicator={r} /></Td>
    </tr>
  );
}

function StateCell({ replicator: r }: { replicator: FleetReplicator }) {
  if (r.connected) return <Badge tone="green">answering</Badge>;
  return (
    <>
      <Badge tone="red">not answering</Badge>
      {r.error !== null && <p className="mt-1 max-w-xs text-xs text-red-900">{r.error.message}</p>}
    </>
  );
}

/** How many dsyncs run, and for whom (the first few). */
function DsyncsCell({ replicator: r }: { replicator: FleetReplicator }) {
  if (r.dsyncs === null) return <Unknown />;

  const users = r.dsyncs.flatMap((d) => (d.username === null ? [] : [d.username]));
  const shown = users.slice(0, 3).join(', ');
  const more = users.length > 3 ? ` and ${users.length - 3} more` : '';
  return <span>{users.length}{users.length > 0 && `: ${shown}${more}`}</span>;
}

function TotalsRow({ data }: { data: FleetAnswer }) {
  return (
    <tfoot>
      <tr className="font-semibold">
        <Td>Total</Td>
        <Td className="text-xs font-normal text-zinc-500">of {data.totals.reachable} answering</Td>
        {COLUMNS.map((c) => (
          <Td key={c.key} className="text-right">{formatCount(data.totals[c.key])}</Td>
        ))}
        <Td>{data.totals.runningDsyncs}</Td>
      </tr>
    </tfoot>
  );
}

function PairsPanel({ data }: { data: FleetAnswer }) {
  const name = (id: string) => data.replicators.find((r) => r.id === id)?.name ?? id;
  return (
    <Panel title="Two-way pairs" className="mt-4">
      <ul className="divide-y divide-zinc-100 text-sm">
        {data.pairs.map((p) => (
          <li key={p.id} className="px-4 py-2">
            <Link href={pairPath(p.id)} className="font-medium text-sky-800 hover:underline">
              {p.name}
            </Link>
            <span className="ml-2 text-zinc-500">
              {name(p.replicators[0])} ⇄ {name(p.replicators[1])}
            </span>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

function Unknown() {
  return <span className="text-zinc-400" title="not known while it does not answer">unknown</span>;
}
