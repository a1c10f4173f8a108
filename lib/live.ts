/**
 * The browser's one socket.io connection to the dashboard, and hooks over it. The client
 * counts who subscribes to what, so two components watching the same mask share one watch,
 * and it repeats every subscription and watch after a reconnect (the server forgets them).
 */
import {
  createContext,
  useContext,
  useEffect,
  useEffectEvent,
  useSyncExternalStore,
} from 'react';
import type { Socket } from 'socket.io-client';

import type { ClientToServerEvents, LiveAck, ServerToClientEvents } from './api-types';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The state of the connection to the dashboard server, not to the replicator. */
export type LinkState = 'connecting' | 'connected' | 'reconnecting';

type Watch = { replicator: string; mask: string };

export type ServerEvent = keyof ServerToClientEvents;
/** Every server event carries one payload object. */
export type Payload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];

/** The part of the socket used to listen, with the listener typed by the event map. */
interface Listening {
  on(event: string, listener: (payload: never) => void): unknown;
  off(event: string, listener: (payload: never) => void): unknown;
}

export class LiveClient {
  private link: LinkState = 'connecting';
  private everConnected = false;
  private readonly linkListeners = new Set<() => void>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly subscriptions = new Map<string, number>();
  private readonly watches = new Map<string, { watch: Watch; count: number }>();
  private readonly subscribeAcks = new Map<string, (answer: LiveAck) => void>();

  constructor(readonly socket: LiveSocket) {
    socket.on('connect', () => this.onConnect());
    socket.on('disconnect', (reason) => {
      this.setLink('reconnecting');
      // Only a server-side kick stops socket.io's own reconnecting; come back anyway.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', () => this.setLink('reconnecting'));
  }

  get linkState(): LinkState {
    return this.link;
  }

  /** For useSyncExternalStore. */
  onLinkChange = (listener: () => void): (() => void) => {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  };

  /** Called after a reconnect, when data may have changed while nothing arrived. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Asks for a replicator's overview, dsyncs and state; returns the undo. */
  subscribe(replicator: string, onAck: (answer: LiveAck) => void): () => void {
    this.subscribeAcks.set(replicator, onAck);
    const count = (this.subscriptions.get(replicator) ?? 0) + 1;
    this.subscriptions.set(replicator, count);
    if (count === 1) this.emitSubscribe(replicator);

    return () => {
      const left = (this.subscriptions.get(replicator) ?? 1) - 1;
      if (left > 0) return void this.subscriptions.set(replicator, left);
      this.subscriptions.delete(replicator);
      this.subscribeAcks.delete(replicator);
      if (this.socket.connected) this.socket.emit('unsubscribe', { replicator });
    };
  }

  /** Asks for `users` events of a mask; returns the undo. */
  watch(replicator: string, mask: string): () => void {
    const key = JSON.stringify([replicator, mask]);
    const entry = this.watches.get(key) ?? { watch: { replicator, mask }, count: 0 };
    entry.count++;
    this.watches.set(key, entry);
    if (entry.count === 1 && this.socket.connected) this.socket.emit('watch', entry.watch);

    return () => {
      entry.count--;
      if (entry.count > 0) return;
      this.watches.delete(key);
      if (this.socket.connected) this.socket.emit('unwatch', entry.watch);
    };
  }

  /** Listens to a server event; returns the undo. */
  on<E extends ServerEvent>(event: E, listener: (payload: Payload<E>) => void): () => void {
    // socket.io types a listener by a conditional type that a generic event name cannot
    // resolve; the signature above already ties the listener to the event map.
    const socket = this.socket as unknown as Listening;
    socket.on(event, listener);
    return () => void socket.off(event, listener);
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.close();
  }

  private onConnect(): void {
    for (const replicator of this.subscriptions.keys()) this.emitSubscribe(replicator);
    for (const { watch } of this.watches.values()) this.socket.emit('watch', watch);

    const reconnected = this.everConnected;
    this.everConnected = true;
    this.setLink('connected');
    if (reconnected) for (const listener of this.reconnectListeners) listener();
  }

  /** Emitted only while connected: the connect handler sends the rest, exactly once. */
  private emitSubscribe(replicator: string): void {
    if (!this.socket.connected) return;
    this.socket.emit('subscribe', { replicator }, (answer) => {
      this.subscribeAcks.get(replicator)?.(answer);
    });
  }

  private setLink(next: LinkState): void {
    if (this.link === next) return;
    this.link = next;
    for (const listener of this.linkListeners) listener();
  }
}

export const LiveContext = createContext<LiveClient | null>(null);

/** The app's live client; null until the browser has opened it (never during SSR). */
export function useLiveClient(): LiveClient | null {
  return useContext(LiveContext);
}

/** Whether the dashboard server itself is reachable over socket.io. */
export function useLinkState(): LinkState {
  const live = useLiveClient();
  return useSyncExternalStore(
    live?.onLinkChange ?? noSubscription,
    () => live?.linkState ?? 'connecting',
    () => 'connecting',
  );
}

function noSubscription(): () => void {
  return () => undefined;
}

/** Listens to one server event for as long as the component is mounted. */
export function useLiveEvent<E extends ServerEvent>(
  event: E,
  handler: (payload: Payload<E>) => void,
): void {
  const live = useLiveClient();
  const onEvent = useEffectEvent(handler);

  useEffect(() => {
    if (live === null) return;
    return live.on(event, (payload) => onEvent(payload));
  }, [live, event]);
}


/** Watches a mask and calls `onChange` with each `users` event for it. */
export function useWatchedUsers(
  replicator: string,
  mask: string | null,
  onChange: (event: Payload<'users'>) => void,
): void {
  const live = useLiveClient();

  useEffect(() => {
    if (live === null || mask === null) return;
    return live.watch(replicator, mask);
  }, [live, replicator, mask]);

  useLiveEvent('users', (event) => {
    if (event.replicator === replicator && event.mask === mask) onChange(event);
  });
}
