import type { ReactNode } from 'react';

import type { ReplicatorUser, UserSortField } from '@/lib/api-types';
import { exactTime } from '@/lib/format';

import { Badge } from '../ui/badge';
import { NextSync, TimeAgo } from '../ui/time';
import { PriorityBadge } from '../users/cells';

/** Every queue field of a user; times read relative, with the exact time beside them. */
export function UserFields({ user, at, unknownFields = [] }: {
  user: ReplicatorUser;
  at: string;
  /** Fields the replicator's transport cannot tell: shown as unknown, never guessed. */
  unknownFields?: UserSortField[];
}) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 px-4 py-3 text-sm">
      <Row label="Priority"><PriorityBadge priority={user.priority} /></Row>
      <TimeRow label="Last fast sync" iso={user.lastFastSync} />
      <TimeRow label="Last full sync" iso={user.lastFullSync} />
      <TimeRow label="Last successful sync" iso={user.lastSuccessfulSync} />
      <Row label="Failed">
        <FailedField failed={user.failed} />
      </Row>
      {user.nextSyncSeconds !== null && (
        <Row label="Next sync"><NextSync seconds={user.nextSyncSeconds} at={at} /></Row>
      )}
      {unknownFields.includes('nextSyncSeconds') && (
        <Row label="Next sync">
          <span className="text-zinc-400">unknown: the doveadm HTTP API does not tell</span>
        </Row>
      )}
    </dl>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-zinc-500">{label}</dt>
      <dd className="tabular-nums">{children}</dd>
    </>
  );
}

function TimeRow({ label, iso }: { label: string; iso: string | null }) {
  return (
    <Row label={label}>
      <TimeAgo iso={iso} />
      {iso !== null && <span className="ml-2 text-xs text-zinc-400">{exactTime(iso)}</span>}
    </Row>
  );
}

function FailedField({ failed }: { failed: boolean }) {
  if (!failed) return <span className="text-zinc-500">no</span>;
  return <Badge tone="alarm">failed</Badge>;
}
