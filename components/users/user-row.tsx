import { memo, type ReactNode } from 'react';

import type { ReplicatorUser } from '@/lib/api-types';

import { NextSync, TimeAgo } from '../ui/time';
import { FailedBadge, PriorityBadge, UserLink } from './cells';

/** Every row is this tall, in CSS px: the scroll geometry is computed from it. */
export const ROW_HEIGHT = 32;

// Contained: a row filled in or reused for another user is laid out alone.
const ROW =
  'absolute inset-x-0 top-0 grid grid-cols-(--user-columns) border-b border-zinc-100 ' +
  'contain-strict';

// The row's height less its border, as line height: one line, centred, clipped.
const CELL = 'truncate px-3 leading-[31px]';

/**
 * One row of the virtual users table, placed at `top` within the window of rows. Without a
 * user yet (its block is loading) it holds a placeholder in the same cells, so that filling
 * it in adds the contents only.
 */
export const UserRow = memo(function UserRow({ index, top, replicatorId, user, at, withNext }: {
  index: number;
  top: number;
  replicatorId: string;
  user: ReplicatorUser | undefined;
  at: string | undefined;
  withNext: boolean;
}) {
  const tone = user?.failed === true ? 'bg-red-50' : 'bg-white hover:bg-zinc-50';
  return (
    <tr
      role="row"
      aria-rowindex={index + 2}
      className={`${ROW} ${tone}`}
      style={{ height: ROW_HEIGHT, transform: `translateY(${top}px)` }}
    >
      <Cell>
        {user === undefined
          ? <Pending />
          : <UserLink replicatorId={replicatorId} username={user.username} />}
      </Cell>
      <Cell>{user && <PriorityBadge priority={user.priority} />}</Cell>
      <Cell>{user && <TimeAgo iso={user.lastFastSync} />}</Cell>
      <Cell>{user && <TimeAgo iso={user.lastFullSync} />}</Cell>
      <Cell>{user && <TimeAgo iso={user.lastSuccessfulSync} />}</Cell>
      <Cell>{user && <FailedBadge failed={user.failed} />}</Cell>
      {withNext && (
        <Cell>{user && at && <NextSync seconds={user.nextSyncSeconds} at={at} />}</Cell>
      )}
    </tr>
  );
});

function Pending() {
  return (
    <>
      <span aria-hidden="true" className="text-zinc-400">…</span>
      <span className="sr-only">Loading</span>
    </>
  );
}

/** A cell that clips rather than grows: a row taller than ROW_HEIGHT would break scrolling. */
function Cell({ children }: { children?: ReactNode }) {
  return <td role="cell" className={CELL}>{children}</td>;
}
