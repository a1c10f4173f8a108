'use client';

import { useCan } from '@/lib/session';

import { AddForm } from '../actions/add-form';
import { Notice } from '../ui/notice';
import { PageTitle, Panel } from '../ui/panel';

/** The page of a user the replicator does not know (never added, or removed). */
export function UnknownUser({ replicatorId, username, removed }: {
  replicatorId: string;
  username: string;
  removed: boolean;
}) {
  const canAdd = useCan()('add', username);
  return (
    <>
      <PageTitle>
        <span className="font-mono break-all">{username}</span>
      </PageTitle>
      {removed && <Notice kind="success">Removed from replication.</Notice>}
      <Panel title="Unknown to the replicator" className="mt-3">
        <div className="flex flex-col gap-3 p-4 text-sm text-zinc-700">
          <p>
            The replicator has no user called <code className="font-mono">{username}</code> in
            its queue, so it is not being replicated. Check the spelling (names are
            case-sensitive){canAdd ? ', or add it' : ''}.
          </p>
          {canAdd && (
            <p className="text-zinc-500">
              A user the userdb does not know is dropped again at its first sync, and this page
              comes back.
            </p>
          )}
          {canAdd && <AddForm replicatorId={replicatorId} mask={username} />}
        </div>
      </Panel>
    </>
  );
}
