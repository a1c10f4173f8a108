'use client';

import type { Dsync } from '@/lib/api-types';
import { useDsyncs } from '@/lib/queries';

import { Dot } from '../ui/badge';

/**
 * Whether a dsync runs for the user now. The live dsync slots decide; the user's own answer
 * (`fallback`) only counts until they have arrived.
 */
export function RunningDsync({ replicatorId, username, fallback }: {
  replicatorId: string;
  username: string;
  fallback: Dsync | null;
}) {
  const slots = useDsyncs(replicatorId).data?.dsyncs;
  const running = slots === undefined ? fallback : slots.find((s) => s.username === username);

  return (
    <p className="flex items-center gap-2 border-t border-zinc-100 px-4 py-3 text-sm">
      <Dot tone={running ? 'blue' : 'neutral'} />
      {running ? (
        <span>
          <strong className="font-semibold">{running.type ?? 'a'} dsync running:</strong>{' '}
          {running.state}
        </span>
      ) : (
        <span className="text-zinc-500">No dsync running for this user.</span>
      )}
    </p>
  );
}
