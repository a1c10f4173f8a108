'use client';

import type { UseMutationResult, UseQueryResult } from '@tanstack/react-query';

import { useRemoveUser } from '@/lib/actions';
import { isNotFound, type UserDetail } from '@/lib/api-client';
import { useLiveUser } from '@/lib/live-users';
import { useUser } from '@/lib/queries';
import { useCan, useCanReplicate } from '@/lib/session';

import { ReplicateForm } from '../actions/replicate-form';
import { PairSides } from '../fleet/pair-sides';
import { Freshness } from '../layout/freshness';
import { ErrorNotice } from '../ui/notice';
import { PageTitle, Panel } from '../ui/panel';
import { BackLink } from './back-link';
import { RemoveUser } from './remove-user';
import { RunningDsync } from './running-dsync';
import { UnknownUser } from './unknown-user';
import { UserFields } from './user-fields';

type RemoveMutation = UseMutationResult<{ ok: true }, Error, string>;

/** One user's page, the link helpdesk pastes into a ticket. */
export function UserView({ replicatorId, username }: { replicatorId: string; username: string }) {
  const detail = useUser(replicatorId, username);
  const remove = useRemoveUser(replicatorId);
  useLiveUser(replicatorId, username);

  // A 404 wins over older data: after a remove, the refetch is what is true now.
  if (isNotFound(detail.error)) {
    return (
      <>
        <BackLink replicatorId={replicatorId} />
        <UnknownUser replicatorId={replicatorId} username={username} removed={remove.isSuccess} />
      </>
    );
  }

  const at = detail.data?.at;
  return (
    <>
      <BackLink replicatorId={replicatorId} />
      <PageTitle aside={<Freshness replicatorId={replicatorId} at={at} />}>
        <span className="font-mono break-all">{username}</span>
      </PageTitle>
      <UserBody replicatorId={replicatorId} username={username} detail={detail} remove={remove} />
    </>
  );
}

function UserBody({ replicatorId, username, detail, remove }: {
  replicatorId: string;
  username: string;
  detail: UseQueryResult<UserDetail>;
  remove: RemoveMutation;
}) {
  const error = detail.error && (
    <ErrorNotice title="Could not read this user" error={detail.error} />
  );
  if (detail.data === undefined) {
    return error || <p className="text-sm text-zinc-500">Loading…</p>;
  }

  const { user, dsync, at, unknownFields = [] } = detail.data;
  return (
    <>
      {error}
      <div className="mt-3 grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_26rem]">
        <Panel title="Queue state">
          <UserFields user={user} at={at} unknownFields={unknownFields} />
          <RunningDsync replicatorId={replicatorId} username={username} fallback={dsync} />
        </Panel>
        <UserActions replicatorId={replicatorId} username={username} remove={remove} />
      </div>
      <PairSides replicatorId={replicatorId} username={username} />
    </>
  );
}

/** The actions the signed-in role may take on this user; none at all for a viewer. */
function UserActions({ replicatorId, username, remove }: {
  replicatorId: string;
  username: string;
  remove: RemoveMutation;
}) {
  const canReplicate = useCanReplicate(username);
  const canRemove = useCan()('remove', username);
  if (!canReplicate && !canRemove) return null;

  return (
    <Panel title="Actions">
      <div className="flex flex-col gap-5 p-4">
        {canReplicate && <ReplicateForm replicatorId={replicatorId} mask={username} />}
        {canRemove && <RemoveUser username={username} remove={remove} />}
      </div>
    </Panel>
  );
}
