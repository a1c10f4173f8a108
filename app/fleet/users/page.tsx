import type { Metadata } from 'next';
import { Suspense } from 'react';

import { FleetUsersView } from '@/components/fleet/fleet-users-view';

export const metadata: Metadata = { title: 'Search all replicators' };

export default function FleetUsersPage() {
  // The mask lives in the URL and is read in the browser (useSearchParams).
  return (
    <Suspense>
      <FleetUsersView />
    </Suspense>
  );
}
