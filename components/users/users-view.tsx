'use client';

import { useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import type { ReactNode } from 'react';

import type { UsersQuery } from '@/lib/api-client';
import type { UsersPage } from '@/lib/api-types';
import { formatCount } from '@/lib/format';
import { useLiveUsersPage } from '@/lib/live-users';
import { parseUsersSearch, usersPath, type UsersSearch } from '@/lib/paths';
import { queryKeys, useUsersPage } from '@/lib/queries';

import { AddForm } from '../actions/add-form';
import { ReplicateForm } from '../actions/replicate-form';
import { LinkButton } from '../ui/button';
import { ErrorNotice, Notice } from '../ui/notice';
import { PageTitle, Panel } from '../ui/panel';
import { MaskForm } from './mask-form';
import { Pager } from './pager';
import type { SortState } from './sort-header';
import { UsersTable } from './users-table';

const PAGE_SIZE = 100;

type MaskSearch = UsersSearch & { mask: string };

/** The users list: a mask search whose every state (mask, sort, page) is in the URL. */
export function UsersView({ replicatorId }: { replicatorId: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const search = parseUsersSearch(useSearchParams());
  const onSearch = (mask: string) => {
    // The same URL again changes nothing, yet a repeated search means "look again".
    if (mask === search.mask) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.usersOfMask(replicatorId, mask) });
    }
    router.push(usersPath(replicatorId, { ...search, mask, offset: 0 }));
  };

  return (
    <>
      <PageTitle>Users</PageTitle>
      <Panel className="p-4">
        <MaskForm key={search.mask} mask={search.mask} onSearch={onSearch} />
      </Panel>
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
  const query: UsersQuery = { ...search, limit: PAGE_SIZE };
  const page = useUsersPage(replicatorId, query);
  useLiveUsersPage(replicatorId, query);

  const hrefWith = (next: Partial<UsersSearch>) => usersPath(replicatorId, { ...search, ...next });
  const onSort = (sort: SortState) =>
    router.push(hrefWith({ ...sort, offset: 0 }), { scroll: false });
  const total = page.data?.total;
  const pager = total !== undefined && (
    <Pager
      offset={search.offset}
      pageSize={PAGE_SIZE}
      total={total}
      hrefAt={(offset) => hrefWith({ offset })}
    />
  );

  return (
    <>
      <ActionsPanel replicatorId={replicatorId} mask={search.mask} />
      <Panel title={<ResultsTitle total={total} />} aside={pager} className="mt-4">
        <ResultsBody replicatorId={replicatorId} page={page} sort={search} onSort={onSort} />
      </Panel>
    </>
  );
}

function ActionsPanel({ replicatorId, mask }: { replicatorId: string; mask: string }) {
  const title = (
    <>
      Actions for <code className="font-mono">{mask}</code>
    </>
  );
  return (
    <Panel title={title} className="mt-4">
      <div className="grid gap-4 p-4 md:grid-cols-[1fr_auto]">
        <ReplicateForm replicatorId={replicatorId} mask={mask} />
        <AddForm replicatorId={replicatorId} mask={mask} />
      </div>
    </Panel>
  );
}

function ResultsBody({ replicatorId, page, sort, onSort }: {
  replicatorId: string;
  page: UseQueryResult<UsersPage>;
  sort: SortState;
  onSort: (sort: SortState) => void;
}) {
  if (page.error !== null) {
    return <Boxed><ErrorNotice title="The search failed" error={page.error} /></Boxed>;
  }
  if (page.data === undefined) return <p className="p-4 text-sm text-zinc-500">Searching…</p>;
  if (page.data.total === 0) return <NoMatches />;

  return <UsersTable replicatorId={replicatorId} page={page.data} sort={sort} onSort={onSort} />;
}

function NoMatches() {
  return (
    <Boxed>
      <Notice kind="info" title="No user matches this mask.">
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
