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
export function SignedInProviders({ session, websocketOnly = false, children }: {
  session: SessionInfo;
  /** The server takes WebSocket only (LIVE_TRANSPORT=websocket): skip long-polling. */
  websocketOnly?: boolean;
  children: ReactNode;
}) {
  useEffect(() => whenSignedOut(goToLogin), []);

  return (
    <SessionContext.Provider value={session}>
      <LiveProvider websocketOnly={websocketOnly}>{children}</LiveProvider>
    </SessionContext.Provider>
  );
}

/** Opens the app's one socket.io connection, in the browser only (the server has no page URL). */
function LiveProvider({ websocketOnly, children }: {
  websocketOnly: boolean;
  children: ReactNode;
}) {
  const [live, setLive] = useState<LiveClient | null>(null);

  useEffect(() => {
    const socket: LiveSocket = io(websocketOnly ? { transports: ['websocket'] } : {});
    socket.on('connect_error', (error) => {
      // The handshake carries the session cookie; refused, the session is over.
      const code = (error as Error & { data?: { code?: string } }).data?.code;
      if (code === 'unauthorized') goToLogin();
    });
    const client = new LiveClient(socket);
    setLive(client);
    return () => client.close();
  }, [websocketOnly]);

  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}
