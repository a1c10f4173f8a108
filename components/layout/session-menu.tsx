'use client';

import { useState } from 'react';

import { signOut, useSession } from '@/lib/session';

import { Button } from '../ui/button';

/** Who is signed in, as what, and the way out. */
export function SessionMenu() {
  const session = useSession();
  const [leaving, setLeaving] = useState(false);
  const domains = session.domains === null ? null : session.domains.join(', ');

  return (
    <div className="flex items-center gap-2 text-sm">
      <span className="text-zinc-700">
        <span className="font-medium">{session.name}</span>
        <span className="text-zinc-500"> · {session.role}</span>
        {domains !== null && <span className="text-xs text-zinc-500"> ({domains})</span>}
      </span>
      {session.via !== 'proxy' && (
        <Button
          disabled={leaving}
          onClick={() => {
            setLeaving(true);
            void signOut();
          }}
        >
          Sign out
        </Button>
      )}
    </div>
  );
}
