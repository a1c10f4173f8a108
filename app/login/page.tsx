import type { Metadata } from 'next';
import { redirect } from 'next/navigation';

import { LoginForm } from '@/components/auth/login-form';
import { safeNextPath } from '@/lib/paths';
import { currentSession } from '@/server/auth/page-session';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function LoginPage({ searchParams }: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const { next } = await searchParams;
  const target = safeNextPath(typeof next === 'string' ? next : null);
  if ((await currentSession()) !== null) redirect(target);

  return (
    <main className="mx-auto mt-24 max-w-sm px-4">
      <h1 className="mb-1 text-lg font-semibold text-zinc-900">Replicator dashboard</h1>
      <p className="mb-5 text-sm text-zinc-600">Sign in with your dashboard account.</p>
      <LoginForm next={target} />
    </main>
  );
}
