'use client';

import Link from 'next/link';

import { useUsersListPath } from '@/lib/last-search';

/** Back to the users list this tab showed last, with its search, sort and filters. */
export function BackLink({ replicatorId }: { replicatorId: string }) {
  const href = useUsersListPath(replicatorId);
  return (
    <Link href={href} className="mb-2 inline-block text-xs text-zinc-500 hover:text-zinc-800">
      ← Users
    </Link>
  );
}
