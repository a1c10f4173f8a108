import { redirect } from 'next/navigation';

import { DEFAULT_REPLICATOR, replicatorPath } from '@/lib/paths';

export default function Home() {
  redirect(replicatorPath(DEFAULT_REPLICATOR));
}
