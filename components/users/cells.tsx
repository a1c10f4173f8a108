import Link from 'next/link';

import type { DsyncType, Priority } from '@/lib/api-types';
import { userPath } from '@/lib/paths';

import { Badge, type Tone } from '../ui/badge';

const PRIORITY_TONES: Record<Priority, Tone> = {
  none: 'neutral',
  low: 'blue',
  high: 'amber',
  sync: 'amber',
};

/** The queue priority; "none" (nothing waiting) is the quiet normal state. */
export function PriorityBadge({ priority }: { priority: Priority }) {
  if (priority === 'none') return <span className="text-zinc-400">none</span>;
  return <Badge tone={PRIORITY_TONES[priority]}>{priority}</Badge>;
}

export function FailedBadge({ failed }: { failed: boolean }) {
  if (!failed) return <span className="sr-only">not failed</span>;
  return <Badge tone="alarm">failed</Badge>;
}

export function DsyncTypeBadge({ type }: { type: DsyncType | null }) {
  if (type === null) return <span className="text-zinc-400">—</span>;
  return <Badge tone={type === 'full' ? 'blue' : 'neutral'}>{type}</Badge>;
}

/** A username, monospaced, leading to its page; not prefetched, a table has a hundred. */
export function UserLink({ replicatorId, username }: { replicatorId: string; username: string }) {
  return (
    <Link
      href={userPath(replicatorId, username)}
      prefetch={false}
      className="font-mono text-sky-800 hover:underline"
    >
      {username}
    </Link>
  );
}
