'use client';

import { useAddUsers } from '@/lib/actions';
import { useConfirmedAction } from '@/lib/confirmed-action';
import { plural, visibleControls } from '@/lib/format';
import { isWildcardMask } from '@/lib/mask';

import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/dialog';
import { ActionResult } from './action-result';
import { CountStatus } from './count-status';

/**
 * Add a user, or a mask's users, to replication: `doveadm replicator add`. For a wildcard
 * the replicator asks the userdb itself, and the users appear as it answers.
 */
export function AddForm({ replicatorId, mask }: { replicatorId: string; mask: string }) {
  const add = useAddUsers(replicatorId);
  const flow = useConfirmedAction(replicatorId, mask, () => add.mutate(mask));
  const wildcard = isWildcardMask(mask);
  const busy = add.isPending || flow.step.kind === 'counting';

  return (
    <form
      className="flex flex-wrap items-center gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        add.reset();
        flow.start();
      }}
    >
      <Button type="submit" disabled={busy} aria-busy={busy}>
        Add
      </Button>
      <p className="text-xs text-zinc-500">
        {wildcard ? 'Asks the userdb for the users matching this mask.' : 'Adds this user.'}
      </p>
      <div className="basis-full empty:hidden">
        <CountStatus step={flow.step} />
        <ActionResult
          error={add.error}
          success={add.isSuccess ? describeAdded(add.variables) : null}
        />
      </div>
      <ConfirmDialog
        open={flow.step.kind === 'confirm'}
        title={`Add the userdb's users matching ${visibleControls(mask)}?`}
        onConfirm={flow.confirm}
        onCancel={flow.cancel}
      >
        {flow.step.kind === 'confirm' &&
          `The replicator asks the userdb for every user matching this mask and adds them. ` +
            `It knows ${plural(flow.step.matches, 'matching user')} now.`}
      </ConfirmDialog>
    </form>
  );
}

function describeAdded(mask: string): string {
  if (!isWildcardMask(mask)) return `${visibleControls(mask)} added.`;
  return (
    `Added: the replicator asks the userdb for the users matching ${visibleControls(mask)}; ` +
    'they appear as it answers.'
  );
}
