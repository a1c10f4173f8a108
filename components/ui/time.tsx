'use client';

import { useNow } from '@/lib/clock';
import { exactTime, relativeSeconds, relativeTime } from '@/lib/format';

/** "3 min ago", with the exact local and ISO time on hover; "never" for null. */
export function TimeAgo({ iso }: { iso: string | null }) {
  const now = useNow();
  if (iso === null) return <span className="text-zinc-400">never</span>;

  return (
    <time dateTime={iso} title={exactTime(iso)} className="cursor-help">
      {relativeTime(iso, now)}
    </time>
  );
}

/** Closer than this, the clock's tick makes "in N s" meaningless. */
const DUE_SOON_MS = 10_000;

/**
 * When the next sync is due: the replicator says "in N seconds" as of the answer's time, so
 * the moment is that time plus N.
 */
export function NextSync({ seconds, at }: { seconds: number | null; at: string }) {
  const now = useNow();
  if (seconds === null) return <span className="text-zinc-400">—</span>;

  const due = Date.parse(at) + seconds * 1000;
  const iso = new Date(due).toISOString();
  const words = due - now < DUE_SOON_MS ? 'due now' : relativeSeconds((due - now) / 1000);
  return (
    <time dateTime={iso} title={exactTime(iso)} className="cursor-help">
      {words}
    </time>
  );
}
