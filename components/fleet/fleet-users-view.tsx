'use client';

import { useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';

import type { UserSortField } from '@/lib/api-types';
import {
  FLEET_USERS_KEY,
  fleetApi,
  fleetUsersPath,
  useFleetUsers,
} from '@/lib/fleet-client';
import type { FleetPart, FleetUser, FleetUsersPage } from '@/lib/fleet-types';
import { formatCount } from '@/lib/format';
import { freshCount, SEARCH_AGAIN_FAILED, searchAgain } from '@/lib/users-list';

import { Button } from '../ui/button';
import { Notice } from '../ui/notice';
import { PageTitle, Panel } from '../ui/panel';
import { EmptyRow, Table, Td, Th } from '../ui/table';
import { NextSync, TimeAgo } from '../ui/time';
import { FailedBadge, PriorityBadge, UserLink } from '../users/cells';
import { MaskForm } from '../users/mask-form';

const PAGE = 100;

/** One mask searched on every replicator at once, merged, the replicator as a column. */
export function FleetUsersView() {
  const search = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const mask = search.get('mask');
  const offset = Number(search.get('offset') ?? '0') || 0;
  const query = mask === null ? null
    : { mask, offset, limit: PAGE, sort: 'username' as UserSortField, order: 'asc' as const };
  const { data, error, isFetching } = useFleetUsers(query);
  const queryClient = useQueryClient();
  const [againFailed, setAgainFailed] = useState<Error | null>(null);
  const onSearch = (next: string) => {
    setAgainFailed(null);
    // The same URL again changes nothing, yet a repeated search means "look again".
    if (next === mask) {
      void searchAgain(queryClient, () => fleetApi.users(freshCount(next)), FLEET_USERS_KEY)
        .then(setAgainFailed);
    }
    router.push(fleetUsersPath(next));
  };

  const goTo = (nextOffset: number) =>
    router.push(`${pathname}?mask=${encodeURIComponent(mask!)}&offset=${nextOffset}`);

  return (
    <>
      <PageTitle>Search all replicators</PageTitle>
      <MaskForm mask={mask} onSearch={onSearch} />
      {error !== null && <Notice kind="error" title="The search failed">{error.message}</Notice>}
      {againFailed !== null && (
        <Notice kind="error" title={SEARCH_AGAIN_FAILED}>{againFailed.message}</Notice>
      )}
      {data !== undefined && <SilentParts parts={data.parts} />}
      {query !== null && (
        <Panel title="Users" aside={data && summary(data, isFetching)} className="mt-4">
          <FleetUsersTable data={data} />
          {data !== undefined && data.total > PAGE && (
            <Pager offset={offset} total={data.total} onPage={goTo} />
          )}
        </Panel>
      )}
    </>
  );
}

function summary(data: FleetUsersPage, fetching: boolean): string {
  const answered = data.parts.filter((p) => p.answered);
  const each = answered.map((p) => `${p.name} ${formatCount(p.total ?? 0)}`).join(', ');
  return `${formatCount(data.total)} users (${each})${fetching ? ' · refreshing' : ''}`;
}

/** Replicators that did not answer in time: their users are missing, and the page says so. */
function SilentParts({ parts }: { parts: FleetPart[] }) {
  const silent = parts.filter((p) => !p.answered);
  if (silent.length === 0) return null;

  return (
    <div className="mt-4">
      <Notice kind="warning" title="Not every replicator answered; their users are not listed">
        <ul className="list-disc pl-5">
          {silent.map((p) => (
            <li key={p.id}><strong>{p.name}</strong>: {p.error?.message ?? 'no answer'}</li>
          ))}
        </ul>
      </Notice>
    </div>
  );
}

function FleetUsersTable({ data }: { data: FleetUsersPage | undefined }) {
  const unknownNext = new Set(data?.parts
    .filter((p) => p.unknownUserFields.includes('nextSyncSeconds')).map((p) => p.id));
  return (
    <Table caption="Users on all replicators">
      <thead>
        <tr>
          <Th>Username</Th><Th>Replicator</Th><Th>Priority</Th><Th>Last fast sync</Th>
          <Th>Last full sync</Th><Th>Last successful sync</Th><Th>Failed</Th><Th>Next sync</Th>
        </tr>
      </thead>
      <tbody>
        {data === undefined && <EmptyRow columns={8}>Searching…</EmptyRow>}
        {data?.users.length === 0 && <EmptyRow columns={8}>No user matches.</EmptyRow>}
        {data?.users.map((user) => (
          <FleetUserRow key={`${user.replicator}\t${user.username}`} user={user} at={data.at}
            parts={data.parts} unknownNext={unknownNext.has(user.replicator)} />
        ))}
      </tbody>
    </Table>
  );
}

function FleetUserRow({ user, at, parts, unknownNext }: {
  user: FleetUser;
  at: string;
  parts: FleetPart[];
  unknownNext: boolean;
}) {
  const name = parts.find((p) => p.id === user.replicator)?.name ?? user.replicator;
  return (
    <tr>
      <Td><UserLink replicatorId={user.replicator} username={user.username} /></Td>
      <Td>{name}</Td>
      <Td><PriorityBadge priority={user.priority} /></Td>
      <Td><TimeAgo iso={user.lastFastSync} /></Td>
      <Td><TimeAgo iso={user.lastFullSync} /></Td>
      <Td><TimeAgo iso={user.lastSuccessfulSync} /></Td>
      <Td><FailedBadge failed={user.failed} /></Td>
      <Td>
        {unknownNext
          ? <UnknownField why="the doveadm HTTP API does not tell" />
          : <NextSync seconds={user.nextSyncSeconds} at={at} />}
      </Td>
    </tr>
  );
}

/** A field the replicator's transport cannot tell: shown as unknown, never guessed. */
export function UnknownField({ why }: { why: string }) {
  return <span className="text-zinc-400" title={why}>unknown</span>;
}

function Pager({ offset, total, onPage }: {
  offset: number;
  total: number;
  onPage: (offset: number) => void;
}) {
  const last = Math.min(offset + PAGE, total);
  return (
    <div className="flex items-center gap-2 px-4 py-2 text-sm">
      <Button disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - PAGE))}>
        Previous
      </Button>
      <span>{formatCount(offset + 1)}–{formatCount(last)} of {formatCount(total)}</span>
      <Button disabled={last >= total} onClick={() => onPage(offset + PAGE)}>Next</Button>
    </div>
  );
}
