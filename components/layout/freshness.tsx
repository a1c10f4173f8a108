'use client';

import { useLinkState } from '@/lib/live';
import { useReplicatorState } from '@/lib/queries';

import { Dot } from '../ui/badge';
import { TimeAgo } from '../ui/time';

/**
 * Whether what a page shows is current. While both the dashboard and the replicator are
 * reachable, pushes keep it live (and `at` only moves when something changed, so its age
 * says nothing); otherwise it is the last known state, as of `at`.
 */
export function Freshness({ replicatorId, at }: { replicatorId: string; at: string | undefined }) {
  const link = useLinkState();
  const connected = useReplicatorState(replicatorId).data?.connected === true;

  if (link === 'connected' && connected) {
    return (
      <span className="inline-flex items-center gap-1.5">
        <Dot tone="green" /> live
      </span>
    );
  }
  if (at === undefined) return null;
  return (
    <span className="text-amber-800">
      last known state, read <TimeAgo iso={at} />
    </span>
  );
}
