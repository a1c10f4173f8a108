/**
 * The socket.io side of the live view. A browser subscribes to a replicator (overview,
 * dsyncs, reachability) and watches user masks; the hubs do the polling, these handlers only
 * validate, join rooms and hand over what the hub already has.
 */
import type { Server, Socket } from 'socket.io';

import type { ClientToServerEvents, LiveAck, ServerToClientEvents } from '@/lib/api-types';

import { describeIssues, SubscribePayload, WatchPayload } from '../http/schemas';
import type { ReplicatorRegistry } from '../replicators';
import type { ReplicatorHub } from './hub';

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const replicatorRoom = (id: string) => `replicator:${id}`;
const maskRoom = (id: string, mask: string) => `users:${id}:${mask}`;

/** Sends every hub's changes to the rooms of the browsers that asked for them. */
export function relayHubs(io: LiveServer, replicators: ReplicatorRegistry): void {
  for (const { id, hub } of replicators.all()) {
    const room = io.to(replicatorRoom(id));
    hub.on('state', (s) => room.emit('replicator:state', { replicator: id, ...withoutId(s) }));
    hub.on('overview', (overview) => room.emit('overview', { replicator: id, overview }));
    hub.on('dsyncs', (d) => room.emit('dsyncs', { replicator: id, ...d }));
    hub.on('users', (users) =>
      io.to(maskRoom(id, users.mask)).emit('users', { replicator: id, ...users }),
    );
  }
}

/** Handles one browser's subscriptions and watches, and undoes its watches when it leaves. */
export function handleLiveSocket(socket: LiveSocket, replicators: ReplicatorRegistry): void {
  const watches = new Map<string, { id: string; mask: string }>();

  socket.on('subscribe', (payload, ack) => {
    const parsed = SubscribePayload.safeParse(payload);
    if (!parsed.success) return reply(ack, badRequest(describeIssues(parsed.error)));

    const replicator = replicators.get(parsed.data.replicator);
    if (replicator === undefined) return reply(ack, unknownReplicator(parsed.data.replicator));

    void socket.join(replicatorRoom(replicator.id));
    sendCurrent(socket, replicator.id, replicator.hub);
    reply(ack, { ok: true });
  });

  socket.on('unsubscribe', (payload) => {
    const parsed = SubscribePayload.safeParse(payload);
    if (parsed.success) void socket.leave(replicatorRoom(parsed.data.replicator));
  });

  socket.on('watch', (payload, ack) => {
    const parsed = WatchPayload.safeParse(payload);
    if (!parsed.success) return reply(ack, badRequest(describeIssues(parsed.error)));

    const { replicator: id, mask } = parsed.data;
    const replicator = replicators.get(id);
    if (replicator === undefined) return reply(ack, unknownReplicator(id));

    const room = maskRoom(id, mask);
    if (!watches.has(room)) {
      watches.set(room, { id, mask });
      replicator.hub.watch(mask);
      void socket.join(room);
    }
    const last = replicator.hub.watchedUsers(mask);
    if (last !== undefined) socket.emit('users', { replicator: id, ...last });
    reply(ack, { ok: true });
  });

  socket.on('unwatch', (payload) => {
    const parsed = WatchPayload.safeParse(payload);
    if (!parsed.success) return;

    const { replicator: id, mask } = parsed.data;
    const room = maskRoom(id, mask);
    if (!watches.delete(room)) return;
    replicators.get(id)?.hub.unwatch(mask);
    void socket.leave(room);
  });

  socket.on('disconnect', () => {
    for (const { id, mask } of watches.values()) replicators.get(id)?.hub.unwatch(mask);
  });
}

function sendCurrent(socket: LiveSocket, id: string, hub: ReplicatorHub): void {
  socket.emit('replicator:state', { replicator: id, ...withoutId(hub.state) });
  const overview = hub.overview;
  if (overview !== undefined) socket.emit('overview', { replicator: id, overview });
  if (hub.dsyncs !== undefined) socket.emit('dsyncs', { replicator: id, ...hub.dsyncs });
}

function withoutId<T extends { id: string }>(state: T): Omit<T, 'id'> {
  const { id: _id, ...rest } = state;
  return rest;
}

function reply(ack: ((answer: LiveAck) => void) | undefined, answer: LiveAck): void {
  if (typeof ack === 'function') ack(answer);
}

function badRequest(message: string): LiveAck {
  return { error: { code: 'bad_request', message } };
}

function unknownReplicator(id: string): LiveAck {
  return { error: { code: 'unknown_replicator', message: `no replicator called ${id}` } };
}
