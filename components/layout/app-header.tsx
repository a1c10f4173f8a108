'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

import { Suspense } from 'react';

import { ReplicatorSwitcher } from '@/components/fleet/replicator-switcher';
import { FLEET_PATH, fleetUsersPath } from '@/lib/fleet-client';
import { replicatorPath } from '@/lib/paths';

import { ReplicatorStatus } from './replicator-status';
import { SessionMenu } from './session-menu';

/** The top of every page; without a replicator it is the fleet's (all replicators). */
export function AppHeader({ replicatorId }: { replicatorId?: string }) {
  const home = replicatorId === undefined ? FLEET_PATH : replicatorPath(replicatorId);

  return (
    <header className="border-b border-zinc-200 bg-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2">
        <Link href={home} className="font-semibold tracking-tight text-zinc-900">
          Replicator<span className="text-zinc-400"> · dovecot</span>
        </Link>
        {/* The switcher reads the search (useSearchParams), which needs a boundary. */}
        <Suspense>
          <ReplicatorSwitcher current={replicatorId} />
        </Suspense>
        {replicatorId === undefined ? <FleetNav /> : <ReplicatorNav replicatorId={replicatorId} />}
        {replicatorId !== undefined && <ReplicatorStatus replicatorId={replicatorId} />}
        <SessionMenu />
      </div>
    </header>
  );
}

function ReplicatorNav({ replicatorId }: { replicatorId: string }) {
  const base = replicatorPath(replicatorId);
  return (
    <nav aria-label="Main" className="flex gap-1">
      <NavLink href={base} exact>Overview</NavLink>
      <NavLink href={`${base}/users`}>Users</NavLink>
      <NavLink href={`${base}/jobs`}>Jobs</NavLink>
      <NavLink href={`${base}/audit`}>Audit</NavLink>
    </nav>
  );
}

function FleetNav() {
  return (
    <nav aria-label="Main" className="mr-auto flex gap-1">
      <NavLink href={FLEET_PATH} exact>Fleet</NavLink>
      <NavLink href={fleetUsersPath()}>Search all</NavLink>
    </nav>
  );
}

function NavLink({ href, exact = false, children }: {
  href: string;
  exact?: boolean;
  children: string;
}) {
  const pathname = usePathname();
  const active = exact ? pathname === href : pathname.startsWith(href);
  const tone = active ? 'bg-zinc-900 text-white' : 'text-zinc-600 hover:bg-zinc-100';

  return (
    <Link
      href={href}
      aria-current={active ? 'page' : undefined}
      className={`rounded px-2.5 py-1 text-sm font-medium ${tone}`}
    >
      {children}
    </Link>
  );
}
