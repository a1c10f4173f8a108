import { redirect } from 'next/navigation';

import { FLEET_PATH } from '@/lib/fleet-client';
import { replicatorPath } from '@/lib/paths';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** One replicator: its overview; several: the fleet. */
export default function Home() {
  const replicators = getRuntime().replicators.all();
  if (replicators.length === 1) redirect(replicatorPath(replicators[0]!.id));
  redirect(FLEET_PATH);
}
