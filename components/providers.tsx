'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { io } from 'socket.io-client';

import { whenSignedOut } from '@/lib/api-client';
import type { SessionInfo } from '@/lib/api-types';
import { LiveClient, LiveContext, type LiveSocket } from '@/lib/live';
import { makeQueryClient } from '@/lib/query-client';
import { goToLogin, SessionContext } from '@/lib/session';

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);

  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}

/**
 * What the pages of a signed-in person share: who they are, the live connection, and the
 * way back to the login page when the server says the session is gone.
 */
export function SignedInProviders({ session, children }: {
  session: SessionInfo;
  children: ReactNode;
}) {
  useEffect(() => whenSignedOut(goToLogin), []);

  return (
    <SessionContext.Provider value={session}>
      <LiveProvider>{children}</LiveProvider>
    </SessionContext.Provider>
  );
}

/** Opens the app's one socket.io connection, in the browser only (the server has no page URL). */
function LiveProvider({ children }: { children: ReactNode }) {
  const [live, setLive] = useState<LiveClient | null>(null);

  useEffect(() => {
    const socket: LiveSocket = io();
    socket.on('connect_error', (error) => {
      // The handshake carries the session cookie; refused, the session is over.
      const code = (error as Error & { data?: { code?: string } }).data?.code;
      if (code === 'unauthorized') goToLogin();
    });
    const client = new LiveClient(socket);
    setLive(client);
    return () => client.close();
  }, []);

  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}
