/**
 * Many browsers' live views at once, without the browsers: socket.io clients subscribed to
 * the default replicator, counting what they receive and whether any of them is dropped.
 */
import { io, type Socket } from 'socket.io-client';

import { REPLICATOR } from './api';
import { authHeaders } from './auth';

export interface SubscriberCounts {
  subscribed: number;
  /** `overview`, `dsyncs` and `replicator:state` events received, over all clients. */
  events: number;
  /** Clients whose connection ended while they should have stayed. */
  dropped: number;
  errors: number;
}

export class Subscribers {
  private readonly counts: SubscriberCounts = { subscribed: 0, events: 0, dropped: 0, errors: 0 };
  private closing = false;

  private constructor(private readonly sockets: Socket[]) {
    for (const socket of sockets) this.watch(socket);
  }

  /** Opens `count` clients and resolves once every one has its subscription acknowledged. */
  static async open(url: string, cookie: string, count: number): Promise<Subscribers> {
    const sockets = Array.from({ length: count }, () => io(url, {
      transports: ['websocket'], forceNew: true, reconnection: false,
      extraHeaders: authHeaders(cookie),
    }));
    const subscribers = new Subscribers(sockets);
    await Promise.all(sockets.map(async (socket) => {
      const ack = await socket.timeout(30_000).emitWithAck('subscribe', { replicator: REPLICATOR });
      if (ack?.ok === true) subscribers.counts.subscribed++;
      else subscribers.counts.errors++;
    }));
    return subscribers;
  }

  get snapshot(): SubscriberCounts {
    return { ...this.counts };
  }

  close(): void {
    this.closing = true;
    for (const socket of this.sockets) socket.close();
  }

  private watch(socket: Socket): void {
    const count = () => this.counts.events++;
    socket.on('overview', count);
    socket.on('dsyncs', count);
    socket.on('replicator:state', count);
    socket.on('connect_error', () => this.counts.errors++);
    socket.on('disconnect', () => {
      if (!this.closing) this.counts.dropped++;
    });
  }
}
