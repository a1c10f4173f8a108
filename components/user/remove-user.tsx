'use client';

import type { UseMutationResult } from '@tanstack/react-query';
import { useState } from 'react';

import { ActionResult } from '../actions/action-result';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/dialog';

/** `doveadm replicator remove`, behind a confirmation. */
export function RemoveUser({ username, remove }: {
  username: string;
  remove: UseMutationResult<{ ok: true }, Error, string>;
}) {
  const [asking, setAsking] = useState(false);

  return (
    <div className="flex flex-col gap-2 border-t border-zinc-100 pt-4">
      <div className="flex items-center gap-3">
        <Button variant="danger" disabled={remove.isPending} onClick={() => setAsking(true)}>
          Remove
        </Button>
        <p className="text-xs text-zinc-500">Stops replicating this user. No mail is deleted.</p>
      </div>
      <ActionResult error={remove.error} success={remove.isSuccess ? 'Removed.' : null} />
      <ConfirmDialog
        open={asking}
        danger
        title={`Remove ${username}?`}
        onCancel={() => setAsking(false)}
        onConfirm={() => {
          setAsking(false);
          remove.mutate(username);
        }}
      >
        The replicator forgets this user and stops syncing it. Mail on both sides is left as
        it is; the next change to the mailbox, or Add, brings the user back.
      </ConfirmDialog>
    </div>
  );
}
