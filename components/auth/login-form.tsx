'use client';

import { useState, type FormEvent } from 'react';

import { api } from '@/lib/api-client';

import { Button } from '../ui/button';
import { ErrorNotice } from '../ui/notice';

const INPUT =
  'w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm ' +
  'focus-visible:outline-2 focus-visible:outline-sky-600';

/** Name and password; signed in, a full page load to `next` so the server sees the cookie. */
export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await api.signIn(String(form.get('name')), String(form.get('password')));
      window.location.assign(next);
    } catch (failure) {
      setError(failure as Error);
      setBusy(false);
    }
  }

  return (
    <form className="flex flex-col gap-3" onSubmit={(event) => void submit(event)}>
      <label className="flex flex-col gap-1 text-xs font-medium text-zinc-600">
        Name
        <input name="name" autoComplete="username" required autoFocus className={INPUT} />
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-zinc-600">
        Password
        <input name="password" type="password" autoComplete="current-password" required
          className={INPUT} />
      </label>
      <Button type="submit" variant="primary" disabled={busy} aria-busy={busy}>
        Sign in
      </Button>
      <div aria-live="polite" className="empty:hidden">
        {error !== null && <ErrorNotice title="Could not sign in" error={error} />}
      </div>
    </form>
  );
}
