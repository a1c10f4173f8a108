/**
 * The dashboard's wire contract: the shapes the HTTP API answers with and the socket.io
 * events carry. Shared by the server and the browser so both speak of the same things.
 * Times are ISO 8601 UTC strings, null for "never".
 */

/** A replicator queue priority, as Dovecot names it. */
export const PRIORITIES = ['none', 'low', 'high', 'sync'] as const;
export type Priority = (typeof PRIORITIES)[number];

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
  /** Fields the replicator's transport cannot tell: null in every user means unknown. */
  unknownFields?: UserSortField[];
  at: string;
}

export type JobUserState = 'done' | 'failed' | 'running' | 'waiting' | 'gone';
export type JobState = 'running' | 'finished' | 'expired';

/** A replicate as a job: who asked, what it covered, how far it got. */
export interface JobSummary {
  id: string;
  replicator: string;
  startedBy: string;
  mask: string;
  priority: RequestPriority;
  full: boolean;
  startedAt: string;
  finishedAt: string | null;
  state: JobState;
  /** Users the job covered: those the replicator knew to match when it started. */
  total: number;
  counts: Record<JobUserState, number>;
  /** Users finished (done, failed or gone) per minute so far; null before the first. */
  perMinute: number | null;
  /** Seconds still needed at that rate; null while unknown or once over. */
  etaSeconds: number | null;
}

export interface JobDetail {
  job: JobSummary;
  /** One page of the job's users, of one state when asked. */
  users: { username: string; state: JobUserState }[];
  usersTotal: number;
}

export type HistoryRange = '15m' | '1h' | '24h' | '7d';

/** The queue counters over a time range; each point the highest counts of its stretch. */
export interface HistoryAnswer {
  range: HistoryRange;
  points: Overview[];
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

/** The roles of the dashboard; see server/auth/policy.ts for what each may do. */
export type Role = 'viewer' | 'helpdesk' | 'operator';

/** Who is signed in, as GET /api/v1/session answers. `domains` null means every domain. */
export interface SessionInfo {
  name: string;
  role: Role;
  domains: string[] | null;
  via: 'session' | 'basic' | 'proxy';
}

export const AUDIT_ACTIONS = [
  'replicate',
  'add',
  'remove',
  'sign-in',
  'sign-in-failed',
  'sign-out',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** attempt: written before the action ran, and the server never said how it ended. */
export type AuditOutcome = 'attempt' | 'ok' | 'refused' | 'failed';

/** One row of the audit trail. */
export interface AuditEntry {
  id: number;
  time: string;
  actor: string;
  role: Role | null;
  source: string;
  replicator: string | null;
  action: AuditAction;
  mask: string | null;
  priority: RequestPriority | null;
  full: boolean | null;
  outcome: AuditOutcome;
  /** How many users a replicate queued. */
  updated: number | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface AuditPage {
  total: number;
  entries: AuditEntry[];
}
