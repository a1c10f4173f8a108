'use client';

import { useRef, useState } from 'react';

import { useReplicate, type ReplicateRequest } from '@/lib/actions';
import type { RequestPriority } from '@/lib/api-types';
import { useConfirmedAction } from '@/lib/confirmed-action';
import { isWildcardMask } from '@/lib/mask';
import { plural, visibleControls } from '@/lib/format';

import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/dialog';
import { LiveJob } from '../jobs/live-job';
import { ActionResult } from './action-result';
import { CountStatus } from './count-status';
import { Field, Select } from './fields';

/** Queue a mask (or one user) for replication: `doveadm replicator replicate [-f] [-p]`. */
export function ReplicateForm({ replicatorId, mask }: { replicatorId: string; mask: string }) {
  // One unhappy customer is worth the front of the queue; a whole mask is not.
  const [priority, setPriority] = useState<RequestPriority>(
    isWildcardMask(mask) ? 'low' : 'high',
  );
  const [full, setFull] = useState(false);
  const replicate = useReplicate(replicatorId);
  const request: ReplicateRequest = { mask, priority, full };
  const sending = useRef(false);
  const send = () => {
    // isPending is seen only after a render: a double click would otherwise send twice.
    if (sending.current) return;
    sending.current = true;
    replicate.mutate(request, { onSettled: () => { sending.current = false; } });
  };
  const flow = useConfirmedAction(replicatorId, mask, send, true);
  const busy = replicate.isPending || flow.step.kind === 'counting';

  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        replicate.reset();
        flow.start();
      }}
    >
      <Field label="Priority">
        <Select value={priority} onChange={(e) => setPriority(e.target.value as RequestPriority)}>
          <option value="high">high</option>
          <option value="low">low</option>
        </Select>
      </Field>
      <label className="flex items-center gap-1.5 pb-1.5 text-sm text-zinc-700">
        <input type="checkbox" checked={full} onChange={(e) => setFull(e.target.checked)} />
        Full sync
      </label>
      <Button type="submit" variant="primary" disabled={busy} aria-busy={busy}>
        Replicate
      </Button>
      <div className="basis-full empty:hidden">
        <CountStatus step={flow.step} />
        <ActionResult
          error={replicate.error}
          success={describeQueued(replicate.data, replicate.variables)}
        />
        {replicate.data !== undefined && <LiveJob jobId={replicate.data.jobId} />}
      </div>
      <ConfirmDialog
        open={flow.step.kind === 'confirm'}
        title={`Replicate ${visibleControls(mask)}?`}
        onConfirm={flow.confirm}
        onCancel={flow.cancel}
      >
        {flow.step.kind === 'confirm' && confirmText(flow.step.matches, request)}
      </ConfirmDialog>
    </form>
  );
}

function confirmText(matches: number, { priority, full }: ReplicateRequest): string {
  const how = `${priority} priority${full ? ' (full)' : ''}`;
  return `This mask matches ${plural(matches, 'known user')}. Replicate them at ${how}?`;
}

function describeQueued(
  data: { updated: number } | undefined,
  request: ReplicateRequest | undefined,
): string | null {
  if (data === undefined || request === undefined) return null;
  const how = `${request.priority} priority${request.full ? ', full sync' : ''}`;
  return `${plural(data.updated, 'user')} queued (${how}).`;
}
