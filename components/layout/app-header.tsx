'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

import { replicatorPath } from '@/lib/paths';

import { ReplicatorStatus } from './replicator-status';
import { SessionMenu } from './session-menu';

export function AppHeader({ replicatorId }: { replicatorId: string }) {
  const base = replicatorPath(replicatorId);

  return (
    <header className="border-b border-zinc-200 bg-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2">
        <Link href={base} className="font-semibold tracking-tight text-zinc-900">
          Replicator<span className="text-zinc-400"> · dovecot</span>
        </Link>
        <nav aria-label="Main" className="flex gap-1">
          <NavLink href={base} exact>Overview</NavLink>
          <NavLink href={`${base}/users`}>Users</NavLink>
          <NavLink href={`${base}/jobs`}>Jobs</NavLink>
          <NavLink href={`${base}/audit`}>Audit</NavLink>
        </nav>
        <ReplicatorStatus replicatorId={replicatorId} />
        <SessionMenu />
      </div>
    </header>
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
