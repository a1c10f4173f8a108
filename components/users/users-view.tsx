'use client';

import { useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type ReactNode } from 'react';

import { api, type UsersFilter } from '@/lib/api-client';
import type { UsersPage } from '@/lib/api-types';
import { formatCount } from '@/lib/format';
import { useRememberedSearch } from '@/lib/last-search';
import { useLiveUsersOfMask } from '@/lib/live-users';
import { parseUsersSearch, usersPath, type UsersSearch } from '@/lib/paths';
import { queryKeys, type UsersList } from '@/lib/queries';
import { useCan, useCanReplicate } from '@/lib/session';
import { freshCount, SEARCH_AGAIN_FAILED, searchAgain, useUsersTotal } from '@/lib/users-list';

import { AddForm } from '../actions/add-form';
import { ReplicateForm } from '../actions/replicate-form';
import { LinkButton } from '../ui/button';
import { MaskText } from '../ui/mask';
import { ErrorNotice, Notice } from '../ui/notice';
import { PageTitle, Panel } from '../ui/panel';
import { MaskForm } from './mask-form';
import type { SortState } from './sort-header';
import { UsersFilters } from './users-filters';
import { UsersTable } from './users-table';

type MaskSearch = UsersSearch & { mask: string };

/** The users list: a mask search whose every state (mask, sort, filters) is in the URL. */
export function UsersView({ replicatorId }: { replicatorId: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const search = parseUsersSearch(useSearchParams());
  useRememberedSearch(replicatorId, usersPath(replicatorId, search));
  const [againFailed, setAgainFailed] = useState<Error | null>(null);
  const onSearch = (mask: string) => {
    setAgainFailed(null);
    // The same URL again changes nothing, yet a repeated search means "look again".
    if (mask === search.mask) {
      const readFresh = () => api.users(replicatorId, freshCount(mask));
      void searchAgain(queryClient, readFresh, queryKeys.usersOfMask(replicatorId, mask))
        .then(setAgainFailed);
    }
    router.push(usersPath(replicatorId, { ...search, mask }));
  };

  return (
    <>
      <PageTitle>Users</PageTitle>
      <Panel className="p-4">
        <MaskForm key={search.mask} mask={search.mask} onSearch={onSearch} />
      </Panel>
      {againFailed !== null && (
        <div className="mt-4">
          <ErrorNotice title={SEARCH_AGAIN_FAILED} error={againFailed} />
        </div>
      )}
      {search.mask === null ? (
        <SearchPrompt replicatorId={replicatorId} />
      ) : (
        <SearchResults replicatorId={replicatorId} search={{ ...search, mask: search.mask }} />
      )}
    </>
  );
}

function SearchPrompt({ replicatorId }: { replicatorId: string }) {
  return (
    <div className="mt-4 flex flex-wrap items-center gap-3 text-sm text-zinc-600">
      <p>
        Search for a user by name, or for a mask such as{' '}
        <code className="font-mono">*@example.com</code>.
      </p>
      <LinkButton href={usersPath(replicatorId, { mask: '*' })}>Show all users</LinkButton>
    </div>
  );
}

function SearchResults({ replicatorId, search }: { replicatorId: string; search: MaskSearch }) {
  const router = useRouter();
  const total = useUsersTotal(replicatorId, search);
  useLiveUsersOfMask(replicatorId, search.mask);
  // A sort or a filter is a new URL, as the mask is: it can be shared, and Back undoes it.
  const go = (next: Partial<UsersSearch>) =>
    router.push(usersPath(replicatorId, { ...search, ...next }), { scroll: false });

  return (
    <>
      <ActionsPanel replicatorId={replicatorId} mask={search.mask} />
      <Panel title={<ResultsTitle total={total.data?.total} />} className="mt-4">
        <UsersFilters filter={search} onChange={go} />
        <ResultsBody replicatorId={replicatorId} list={search} total={total} onSort={go} />
      </Panel>
    </>
  );
}

/** Replicate and Add for the searched mask, as far as the signed-in role may use them. */
function ActionsPanel({ replicatorId, mask }: { replicatorId: string; mask: string }) {
  const canReplicate = useCanReplicate(mask);
  const canAdd = useCan()('add', mask);
  if (!canReplicate && !canAdd) return null;

  const title = (
    <>
      Actions for <MaskText mask={mask} />
    </>
  );
  return (
    <Panel title={title} className="mt-4">
      <div className="grid gap-4 p-4 md:grid-cols-[1fr_auto]">
        {canReplicate ? <ReplicateForm replicatorId={replicatorId} mask={mask} /> : <div />}
        {canAdd && <AddForm replicatorId={replicatorId} mask={mask} />}
      </div>
    </Panel>
  );
}

function ResultsBody({ replicatorId, list, total, onSort }: {
  replicatorId: string;
  list: UsersList;
  total: UseQueryResult<UsersPage>;
  onSort: (sort: SortState) => void;
}) {
  if (total.error !== null) {
    return <Boxed><ErrorNotice title="The search failed" error={total.error} /></Boxed>;
  }
  if (total.data === undefined) return <p className="p-4 text-sm text-zinc-500">Searching…</p>;
  if (total.data.total === 0) return <NoMatches filtered={isFiltered(list)} />;

  const count = total.data.total;
  return <UsersTable replicatorId={replicatorId} list={list} total={count} onSort={onSort} />;
}

function isFiltered({ failed, priority, staleSeconds }: UsersFilter): boolean {
  return failed !== undefined || priority !== undefined || staleSeconds !== undefined;
}

function NoMatches({ filtered }: { filtered: boolean }) {
  const title = filtered ? 'No user matches this mask and filters.' : 'No user matches this mask.';
  return (
    <Boxed>
      <Notice kind="info" title={title}>
        The list holds the users in the replicator&apos;s queue only. Add asks the userdb for
        the users matching a mask.
      </Notice>
    </Boxed>
  );
}

function Boxed({ children }: { children: ReactNode }) {
  return <div className="p-3">{children}</div>;
}

function ResultsTitle({ total }: { total: number | undefined }) {
  if (total === undefined) return <>Matching users</>;
  return <>{formatCount(total)} matching {total === 1 ? 'user' : 'users'}</>;
}
