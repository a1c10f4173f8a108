'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';

import { FLEET_PATH, useReplicatorList } from '@/lib/fleet-client';
import { replicatorPath } from '@/lib/paths';
import { useReplicatorState } from '@/lib/queries';

const SELECT =
  'rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm ' +
  'focus-visible:outline-2 focus-visible:outline-sky-600';

/** Sections that exist on every replicator; deeper pages (a user, a job) are not carried. */
const SECTIONS = new Set(['users', 'jobs', 'audit']);

/**
 * Picks the replicator every page is about, or the fleet. Switching keeps the section, and
 * a user search keeps its mask, so the same question can be asked of another replicator.
 */
export function ReplicatorSwitcher({ current }: { current: string | undefined }) {
  const { data } = useReplicatorList();
  // The list is read every few seconds; the page's own replicator is live, as its badge.
  const live = useReplicatorState(current ?? '', current !== undefined).data;
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const replicators = data?.replicators ?? [];

  const go = (id: string) => {
    if (id === '') {
      router.push(FLEET_PATH);
      return;
    }
    router.push(sameSection(pathname, search.toString(), id));
  };

  return (
    <label className="flex items-center gap-1.5 text-xs font-medium text-zinc-600">
      Replicator
      <select value={current ?? ''} onChange={(e) => go(e.target.value)} className={SELECT}>
        <option value="">All replicators</option>
        {replicators.map((r) => {
          const connected = r.id === live?.id ? live.connected : r.connected;
          const label = `${r.name}${connected ? '' : ' (down)'}`;
          return <option key={r.id} value={r.id}>{label}</option>;
        })}
        {current !== undefined && !replicators.some((r) => r.id === current) && (
          <option value={current}>{current}</option>
        )}
      </select>
    </label>
  );
}

function sameSection(pathname: string, query: string, id: string): string {
  const section = pathname.split('/')[3];
  if (section === undefined || !SECTIONS.has(section)) return replicatorPath(id);

  const path = `${replicatorPath(id)}/${section}`;
  const keepsQuery = section === 'users' && query !== '';
  return keepsQuery ? `${path}?${query}` : path;
}
