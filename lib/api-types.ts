/**
 * The dashboard's wire contract: the shapes the HTTP API answers with and the socket.io
 * events carry. Shared by the server and the browser so both speak of the same things.
 * Times are ISO 8601 UTC strings, null for "never".
 */

/** A replicator queue priority, as Dovecot names it. */
export type Priority = 'none' | 'low' | 'high' | 'sync';

/** The priorities an operator may request for a replicate (doveadm offers the same two). */
export type RequestPriority = 'high' | 'low';

/** The seven counters of `doveadm replicator status`. */
export interface Overview {
  queuedSync: number;
  queuedHigh: number;
  queuedLow: number;
  queuedFailed: number;
  queuedFullResync: number;
  waitingFailed: number;
  totalUsers: number;
  at: string;
}

/** One user as the replicator's queue knows it. */
export interface ReplicatorUser {
  username: string;
  priority: Priority;
  lastFastSync: string | null;
  lastFullSync: string | null;
  lastSuccessfulSync: string | null;
  failed: boolean;
  /** Seconds until the next scheduled sync; null where the replicator does not say (<= 2.3.19). */
  nextSyncSeconds: number | null;
}

export type DsyncType = 'full' | 'normal' | 'incremental';

/** One dsync connection slot of the replicator; an idle slot has no username and no type. */
export interface Dsync {
  username: string | null;
  type: DsyncType | null;
  state: string;
}

/** Why a replicator cannot be used right now, in words an operator can act on. */
export interface ReplicatorProblem {
  code: string;
  message: string;
  /** What to do about it. */
  hint: string | null;
}

export interface ReplicatorState {
  id: string;
  connected: boolean;
  error: ReplicatorProblem | null;
}

export interface UsersPage {
  total: number;
  users: ReplicatorUser[];
  at: string;
}

export interface DsyncsAnswer {
  dsyncs: Dsync[];
  at: string;
}

export const USER_SORT_FIELDS = [
  'username',
  'priority',
  'lastFastSync',
  'lastFullSync',
  'lastSuccessfulSync',
  'failed',
  'nextSyncSeconds',
] as const;
export type UserSortField = (typeof USER_SORT_FIELDS)[number];

export interface ApiErrorBody {
  error: { code: string; message: string; hint?: string };
}

/** socket.io events the server emits. */
export interface ServerToClientEvents {
  overview: (payload: { replicator: string; overview: Overview }) => void;
  dsyncs: (payload: { replicator: string; dsyncs: Dsync[]; at: string }) => void;
  'replicator:state': (payload: {
    replicator: string;
    connected: boolean;
    error: ReplicatorProblem | null;
  }) => void;
  users: (payload: {
    replicator: string;
    mask: string;
    users: ReplicatorUser[];
    total: number;
    at: string;
  }) => void;
}

/** What an event handler acknowledges: ok, or an error shaped like the API's. */
export type LiveAck = { ok: true } | ApiErrorBody;

/** socket.io events the browser emits. */
export interface ClientToServerEvents {
  subscribe: (payload: { replicator: string }, ack?: (answer: LiveAck) => void) => void;
  unsubscribe: (payload: { replicator: string }) => void;
  watch: (
    payload: { replicator: string; mask: string },
    ack?: (answer: LiveAck) => void,
  ) => void;
  unwatch: (payload: { replicator: string; mask: string }) => void;
}
