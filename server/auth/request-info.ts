/**
 * The request as authentication sees it, from a Node request (the custom server, socket.io)
 * or a Fetch Request (Next route handlers). Next hands route handlers no peer address, so
 * the custom server writes it into PEER_HEADER, always replacing what a client sent.
 */
import type { IncomingMessage } from 'node:http';

import type { RequestInfo } from './proxy';

export const PEER_HEADER = 'x-replicator-dashboard-peer';

/** The request methods that change something: these get the cross-origin check. */
export function isMutating(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

/** From a Node request: the custom server's page gate and socket.io handshakes. */
export function fromNodeRequest(request: IncomingMessage): RequestInfo {
  return {
    header: (name) => {
      const value = request.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    peer: request.socket.remoteAddress ?? '',
  };
}

/** From anything with a Fetch-style `headers` (a Request, or next/headers' headers()). */
export function fromHeaders(headers: { get(name: string): string | null }): RequestInfo {
  return {
    header: (name) => headers.get(name) ?? undefined,
    peer: headers.get(PEER_HEADER) ?? '',
  };
}

/** Overwrites the peer header of a request about to be handed to Next. */
export function stampPeer(request: IncomingMessage): void {
  request.headers[PEER_HEADER] = request.socket.remoteAddress ?? '';
}
