'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { io } from 'socket.io-client';

import { LiveClient, LiveContext, type LiveSocket } from '@/lib/live';
import { makeQueryClient } from '@/lib/query-client';

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);

  return (
    <QueryClientProvider client={queryClient}>
      <LiveProvider>{children}</LiveProvider>
    </QueryClientProvider>
  );
}

/** Opens the app's one socket.io connection, in the browser only (the server has no page URL). */
function LiveProvider({ children }: { children: ReactNode }) {
  const [live, setLive] = useState<LiveClient | null>(null);

  useEffect(() => {
    const socket: LiveSocket = io();
    const client = new LiveClient(socket);
    setLive(client);
    return () => client.close();
  }, []);

  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}
