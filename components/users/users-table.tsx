import type { ReplicatorUser, UsersPage } from '@/lib/api-types';

import { EmptyRow, Table, Td } from '../ui/table';
import { NextSync, TimeAgo } from '../ui/time';
import { FailedBadge, PriorityBadge, UserLink } from './cells';
import { SortHeader, type SortState } from './sort-header';

const COLUMNS = [
  { field: 'username', label: 'Username' },
  { field: 'priority', label: 'Priority' },
  { field: 'lastFastSync', label: 'Last fast sync' },
  { field: 'lastFullSync', label: 'Last full sync' },
  { field: 'lastSuccessfulSync', label: 'Last successful sync' },
  { field: 'failed', label: 'Failed' },
  { field: 'nextSyncSeconds', label: 'Next sync' },
] as const;

/**
 * One page of a mask's users. "Next sync" only exists from Dovecot 2.3.20 on; with older
 * replicators every value is null and the column is left out.
 */
export function UsersTable({ replicatorId, page, sort, onSort }: {
  replicatorId: string;
  page: UsersPage;
  sort: SortState;
  onSort: (next: SortState) => void;
}) {
  const withNext = page.users.some((user) => user.nextSyncSeconds !== null);
  const columns = withNext ? COLUMNS : COLUMNS.filter((c) => c.field !== 'nextSyncSeconds');

  return (
    <Table caption="Users matching the mask">
      <thead>
        <tr>
          {columns.map((column) => (
            <SortHeader key={column.field} {...column} state={sort} onSort={onSort} />
          ))}
        </tr>
      </thead>
      <tbody>
        {page.users.length === 0 && (
          <EmptyRow columns={columns.length}>No user on this page.</EmptyRow>
        )}
        {page.users.map((user) => (
          <UserRow key={user.username} {...{ replicatorId, user, withNext }} at={page.at} />
        ))}
      </tbody>
    </Table>
  );
}

function UserRow({ replicatorId, user, at, withNext }: {
  replicatorId: string;
  user: ReplicatorUser;
  at: string;
  withNext: boolean;
}) {
  return (
    <tr className={user.failed ? 'bg-red-50/60' : 'hover:bg-zinc-50'}>
      <Td>
        <UserLink replicatorId={replicatorId} username={user.username} />
      </Td>
      <Td><PriorityBadge priority={user.priority} /></Td>
      <Td><TimeAgo iso={user.lastFastSync} /></Td>
      <Td><TimeAgo iso={user.lastFullSync} /></Td>
      <Td><TimeAgo iso={user.lastSuccessfulSync} /></Td>
      <Td><FailedBadge failed={user.failed} /></Td>
      {withNext && <Td><NextSync seconds={user.nextSyncSeconds} at={at} /></Td>}
    </tr>
  );
}
