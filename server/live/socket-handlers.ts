/**
 * The socket.io side of the live view. A browser subscribes to a replicator (overview,
 * dsyncs, reachability) and watches user masks; the hubs do the polling, these handlers only
 * authenticate, validate, join rooms and hand over what the hub already has.
 *
 * A domain-limited account must not see other domains' users, so dsyncs and users go to one
 * room per "view" (every domain, or one set of domains) and each view gets its own filtered
 * copy. The view is part of the room name, so the rooms themselves say which copies to make.
 */
import type { Server, Socket } from 'socket.io';

import type {
  ClientToServerEvents,
  LiveAck,
  ReplicatorState,
  ServerToClientEvents,
} from '@/lib/api-types';

import { addressesFor, seesAddresses, withoutAddresses } from '../auth/addresses';
import { decide } from '../auth/policy';
import { fromNodeRequest } from '../auth/request-info';
import type { AuthService, Identity } from '../auth/service';
import { pageWithin, visibleDsyncs } from '../auth/visibility';
import { describeIssues, SubscribePayload, WatchPayload } from '../http/schemas';
import type { Replicator, ReplicatorRegistry } from '../replicators';
import { moduleLogger } from '../log';
import { toApiUser } from '../shapes';
import { MAX_WATCHED_MASKS, WATCH_ROW_LIMIT, type WatchedUsers } from './hub';

interface SocketData {
  identity: Identity;
}
export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, object, SocketData>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, object, SocketData>;
type Ack = ((answer: LiveAck) => void) | undefined;

/** Every domain, or a sorted list of them: who may see what a room carries. */
type View = string;
const ALL: View = '*';
const SEP = '\0';

const log = moduleLogger('live');
/** How often a connected socket's account is checked again, whether or not it sends. */
const RECHECK_MS = 2_000;
/** Masks one browser may watch at once: a users page watches one. */
const MAX_WATCHES_PER_BROWSER = 8;
/** Slack for the clock read twice when telling the result rows came from by its age. */
const SAME_RESULT_MS = 100;

const replicatorRoom = (id: string) => `replicator:${id}`;
/** The part of a replicator's room that may read its address. */
const addressesRoom = (id: string) => `replicator:${id}:addresses`;
const dsyncsRoom = (id: string, view: View) => `dsyncs:${id}${SEP}${view}`;
const maskRoom = (id: string, view: View, mask: string) =>
  `users:${id}${SEP}${view}${SEP}${mask}`;

const FIRST_ROWS = {
  offset: 0, limit: WATCH_ROW_LIMIT, sort: 'username', order: 'asc', filter: {},
} as const;

/**
 * Lets in only sockets with an identity: the session cookie, Basic auth or the SSO header of
 * the handshake, which must not come from another site. Refusals reach the browser as a
 * connect_error whose data holds the code.
 */
export function authenticateSockets(io: LiveServer, auth: AuthService): void {
  io.use((socket, next) => {
    const info = fromNodeRequest(socket.request);
    if (auth.isCrossOrigin(info)) return next(refused('cross_origin', 'not from this site'));
    auth.authenticate(info).then((outcome) => {
      if (outcome.kind === 'ok') {
        socket.data.identity = outcome.identity;
        return next();
      }
      const code = outcome.kind === 'anonymous' ? 'unauthorized' : outcome.code;
      next(refused(code, outcome.kind === 'anonymous' ? 'sign in first' : outcome.message));
    }, (error: unknown) => next(error as Error));
  });
  auth.onSignOut((sessionId) => disconnectSession(io, sessionId));
}

/** Closes this instance's sockets of a session that signed out. */
export function disconnectSession(io: LiveServer, sessionId: string): void {
  for (const socket of io.of('/').sockets.values()) {
    if (socket.data.identity?.session?.id === sessionId) socket.disconnect(true);
  }
}

function refused(code: string, message: string): Error {
  return Object.assign(new Error(message), { data: { code } });
}

/**
 * Sends every hub's changes to the rooms of the browsers that asked for them. With several
 * instances (socket.io's Redis adapter), what is the same for everybody (state, overview)
 * is sent by the instance that polls the replicator to the rooms of every instance; what is
 * cut per account (dsyncs, watched users) needs the rooms, which each instance knows only of
 * its own sockets, so each instance sends it to its own from its hub, fed by the relay.
 */
export function relayHubs(
  io: LiveServer,
  replicators: ReplicatorRegistry,
  polls: (replicatorId: string) => boolean = () => true,
): void {
  for (const replicator of replicators.all()) {
    const { id, hub } = replicator;
    const room = () => io.to(replicatorRoom(id));
    hub.on('state', (s) => {
      if (polls(id)) relayState(io, replicator, s);
    });
    hub.on('overview', (overview) => {
      if (polls(id)) room().emit('overview', { replicator: id, overview });
    });
    hub.on('dsyncs', (d) => {
      for (const { name, view } of roomsOf(io, `dsyncs:${id}${SEP}`)) {
        io.local.to(name).emit('dsyncs', { replicator: id, ...visibleDsyncs(principal(view), d) });
      }
    });
    hub.on('users', (users) => {
      relayUsers(io, replicator, users).catch((error: unknown) => {
        log.warn({ err: error, replicator: id }, 'could not filter watched users');
      });
    });
  }
}

function relayState(io: LiveServer, replicator: Replicator, state: ReplicatorState): void {
  const { id } = replicator;
  const full = { replicator: id, ...withoutId(state) };
  io.to(replicatorRoom(id)).except(addressesRoom(id))
    .emit('replicator:state', withoutAddresses(full, [replicator]));
  io.to(addressesRoom(id)).emit('replicator:state', full);
}

async function relayUsers(io: LiveServer, replicator: Replicator, users: WatchedUsers) {
  for (const { name, view, rest } of roomsOf(io, `users:${replicator.id}${SEP}`)) {
    if (rest !== users.mask) continue;
    const shown = await usersFor(replicator, view, users);
    io.local.to(name).emit('users', { replicator: replicator.id, ...shown });
  }
}

/** The rooms whose names start with `prefix`, with the view and the rest of their name. */
function roomsOf(io: LiveServer, prefix: string) {
  const found: { name: string; view: View; rest: string }[] = [];
  for (const name of io.of('/').adapter.rooms.keys()) {
    if (!name.startsWith(prefix)) continue;
    const tail = name.slice(prefix.length);
    const cut = tail.indexOf(SEP);
    const view = cut < 0 ? tail : tail.slice(0, cut);
    found.push({ name, view, rest: cut < 0 ? '' : tail.slice(cut + 1) });
  }
  return found;
}

/** A watched mask's rows as a view may see them: the first rows of its domains' users. */
async function usersFor(replicator: Replicator, view: View, users: WatchedUsers) {
  if (view === ALL) return users;
  // The result the rows came from, or a newer one: an instance that does not poll the
  // replicator got the rows relayed, and reads the mask itself when its copy is older.
  const age = Date.now() - Date.parse(users.at);
  const kept = await replicator.keptUsers.get(users.mask, Math.max(0, age) + SAME_RESULT_MS);
  const page = pageWithin(kept.users, FIRST_ROWS, domainsOf(view), new Date(users.at));
  return { ...users, users: page.users.map(toApiUser), total: page.total };
}

const viewOf = (who: Identity): View =>
  who.domains === null ? ALL : [...who.domains].sort().join(',');
const domainsOf = (view: View): string[] => view.split(',');
const principal = (view: View) => ({
  name: '', role: 'viewer' as const, domains: view === ALL ? null : domainsOf(view),
});

/** Handles one browser's subscriptions and watches, and undoes its watches when it leaves. */
export function handleLiveSocket(
  socket: LiveSocket,
  replicators: ReplicatorRegistry,
  auth: AuthService,
): void {
  const watches = new Map<string, { id: string; mask: string }>();
  const expiry = expireWithSession(socket);
  const recheck = setInterval(() => disconnectIfChanged(socket, auth), RECHECK_MS).unref();
  const allowed = (ack: Ack) => authorise(socket, auth, ack);

  socket.on('subscribe', (payload, ack) => {
    const who = allowed(ack);
    if (who !== null) subscribe(socket, replicators, who, payload, ack);
  });
  socket.on('unsubscribe', (payload) => {
    const parsed = SubscribePayload.safeParse(payload);
    if (!parsed.success) return;
    const id = parsed.data.replicator;
    void socket.leave(replicatorRoom(id));
    void socket.leave(addressesRoom(id));
    void socket.leave(dsyncsRoom(id, viewOf(socket.data.identity)));
  });
  socket.on('watch', (payload, ack) => {
    const who = allowed(ack);
    if (who !== null) watch(socket, replicators, who, watches, payload, ack);
  });
  socket.on('unwatch', (payload) => {
    const parsed = WatchPayload.safeParse(payload);
    if (!parsed.success) return;
    const { replicator: id, mask } = parsed.data;
    const room = maskRoom(id, viewOf(socket.data.identity), mask);
    if (!watches.delete(room)) return;
    replicators.get(id)?.hub.unwatch(mask);
    void socket.leave(room);
  });
  socket.on('disconnect', () => {
    clearTimeout(expiry);
    clearInterval(recheck);
    for (const { id, mask } of watches.values()) replicators.get(id)?.hub.unwatch(mask);
  });
}

function subscribe(
  socket: LiveSocket,
  replicators: ReplicatorRegistry,
  who: Identity,
  payload: unknown,
  ack: Ack,
): void {
  const parsed = SubscribePayload.safeParse(payload);
  if (!parsed.success) return reply(ack, badRequest(describeIssues(parsed.error)));

  const replicator = replicators.get(parsed.data.replicator);
  if (replicator === undefined) return reply(ack, unknownReplicator(parsed.data.replicator));

  const rooms = [replicatorRoom(replicator.id), dsyncsRoom(replicator.id, viewOf(who))];
  if (seesAddresses(who)) rooms.push(addressesRoom(replicator.id));
  void socket.join(rooms);
  sendCurrent(socket, replicator, who);
  reply(ack, { ok: true });
}

function watch(
  socket: LiveSocket,
  replicators: ReplicatorRegistry,
  who: Identity,
  watches: Map<string, { id: string; mask: string }>,
  payload: unknown,
  ack: Ack,
): void {
  const parsed = WatchPayload.safeParse(payload);
  if (!parsed.success) return reply(ack, badRequest(describeIssues(parsed.error)));

  const { replicator: id, mask } = parsed.data;
  const replicator = replicators.get(id);
  if (replicator === undefined) return reply(ack, unknownReplicator(id));

  const room = maskRoom(id, viewOf(who), mask);
  if (!watches.has(room)) {
    const refusal = watchRefusal(watches.size, replicator, mask);
    if (refusal !== null) return reply(ack, refusal);

    watches.set(room, { id, mask });
    replicator.hub.watch(mask);
    void socket.join(room);
  }
  sendWatched(socket, replicator, viewOf(who), mask).catch((error: unknown) => {
    log.warn({ err: error, replicator: id }, 'could not send watched users');
  });
  reply(ack, { ok: true });
}

/** Why a new watch is refused: too many for this browser, or for the replicator's hub. */
function watchRefusal(watching: number, replicator: Replicator, mask: string): LiveAck | null {
  if (watching >= MAX_WATCHES_PER_BROWSER) {
    return tooManyWatches(`a browser watches at most ${MAX_WATCHES_PER_BROWSER} masks at once;` +
      ' unwatch one first');
  }
  if (!replicator.hub.canWatch(mask)) {
    log.warn({ replicator: replicator.id, mask }, 'watch refused: too many masks watched');
    return tooManyWatches(`${MAX_WATCHED_MASKS} masks of this replicator are watched already;` +
      ' its users page still answers, without live updates');
  }
  return null;
}

function tooManyWatches(message: string): LiveAck {
  return { error: { code: 'too_many_watches', message } };
}

/**
 * Checks, for each event, that the socket's identity still holds (not signed out, account
 * not removed) and may read. A changed role or domain list closes the socket: its rooms
 * were chosen for the old one, and the browser reconnects as what it is now.
 */
function authorise(socket: LiveSocket, auth: AuthService, ack: Ack): Identity | null {
  const now = stillValid(socket, auth);
  if (now === null) {
    reply(ack, { error: { code: 'unauthorized', message: 'sign in again' } });
    socket.disconnect(true);
    return null;
  }
  const decision = decide(now, 'read');
  if (!decision.ok) {
    reply(ack, { error: { code: 'forbidden', message: decision.message } });
    return null;
  }
  return now;
}

/** The socket's identity as it stands now, or null when it no longer holds as it was. */
function stillValid(socket: LiveSocket, auth: AuthService): Identity | null {
  const before = socket.data.identity;
  const now = auth.refresh(before);
  if (now === null || viewOf(now) !== viewOf(before) || now.role !== before.role) return null;
  return now;
}

/**
 * Closes a socket whose account changed (a new password, another role or domains, removed)
 * even while its browser sends nothing: the events of its rooms would otherwise go on
 * reaching it, for the old role and domains.
 */
function disconnectIfChanged(socket: LiveSocket, auth: AuthService): void {
  if (stillValid(socket, auth) === null) socket.disconnect(true);
}

/**
 * A socket signed in by cookie lives no longer than its session would without requests; the
 * browser then reconnects with its current cookie, which requests may have renewed.
 */
function expireWithSession(socket: LiveSocket): NodeJS.Timeout | undefined {
  const session = socket.data.identity.session;
  if (session === null) return undefined;
  // setTimeout fires at once past 2^31 - 1 ms; a longer session is cut there and reconnects.
  const left = Math.min(Math.max(0, session.end - Date.now()), 2 ** 31 - 1);
  return setTimeout(() => socket.disconnect(true), left).unref();
}

function sendCurrent(socket: LiveSocket, replicator: Replicator, who: Identity): void {
  const { id, hub } = replicator;
  const state = { replicator: id, ...withoutId(hub.state) };
  socket.emit('replicator:state', addressesFor(who, state, [replicator]));
  const overview = hub.overview;
  if (overview !== undefined) socket.emit('overview', { replicator: id, overview });
  if (hub.dsyncs !== undefined) {
    socket.emit('dsyncs', { replicator: id, ...visibleDsyncs(who, hub.dsyncs) });
  }
}

async function sendWatched(socket: LiveSocket, replicator: Replicator, view: View, mask: string) {
  const last = replicator.hub.watchedUsers(mask);
  if (last === undefined) return;
  const shown = await usersFor(replicator, view, last);
  socket.emit('users', { replicator: replicator.id, ...shown });
}

function withoutId<T extends { id: string }>(state: T): Omit<T, 'id'> {
  const { id: _id, ...rest } = state;
  return rest;
}

function reply(ack: Ack, answer: LiveAck): void {
  if (typeof ack === 'function') ack(answer);
}

function badRequest(message: string): LiveAck {
  return { error: { code: 'bad_request', message } };
}

function unknownReplicator(id: string): LiveAck {
  return { error: { code: 'unknown_replicator', message: `no replicator called ${id}` } };
}
