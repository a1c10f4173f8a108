'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { usersPath } from '@/lib/paths';

/** Counted once a minute by the server: it takes every user. */
const REFRESH_MS = 30_000;

/** Users with no successful sync for too long (or ever), and the link that lists them. */
export function StaleUsers({ replicatorId }: { replicatorId: string }) {
  const stale = useQuery({
    queryKey: ['replicator', replicatorId, 'stale'],
    queryFn: () => api.stale(replicatorId),
    refetchInterval: REFRESH_MS,
  });
  const data = stale.data;
  if (data === undefined) return null;

  const days = data.staleAfterSeconds / 86_400;
  const threshold = Number.isInteger(days) ? `${days} days` : `${data.staleAfterSeconds} s`;
  const href = usersPath(replicatorId, { mask: '*', staleSeconds: data.staleAfterSeconds });
  return (
    <p className="text-sm text-zinc-700">
      {!data.counting ? (
        <Link href={href} className="underline">
          Users not synced successfully for {threshold} or never (not counted here)
        </Link>
      ) : data.count === null ? 'Counting stale users…' : (
        <Link href={href} className="underline">
          {data.count.toLocaleString('en')} users not synced successfully for {threshold} or never
        </Link>
      )}
    </p>
  );
}
