/**
 * The wire contract of the fleet views: every replicator side by side, the search over all
 * of them, and the two-way pairs. Kept apart from api-types.ts, which these build on.
 */
import type {
  Dsync,
  Overview,
  ReplicatorProblem,
  ReplicatorUser,
  UserSortField,
} from './api-types';

export type TransportKind = 'doveadm-socket' | 'doveadm-http';

/** How the dashboard reaches a replicator, and what that way cannot tell. */
export interface TransportInfo {
  kind: TransportKind;
  /** User fields this transport never returns: always null from it, meaning unknown. */
  unknownUserFields: UserSortField[];
  /** Sync times were sent as "how long ago" and are exact to about a second. */
  relativeTimes: boolean;
}

/** One replicator as the listing names it. `address` is given to operators only. */
export interface ReplicatorInfo {
  id: string;
  name: string;
  transport: TransportInfo;
  address?: string;
}

export interface FleetReplicator extends ReplicatorInfo {
  connected: boolean;
  error: ReplicatorProblem | null;
  /** The last poll's counters while reachable; null while not (never an old value). */
  overview: Overview | null;
  /** The dsync slots of the last poll; null while unreachable. */
  dsyncs: Dsync[] | null;
  runningDsyncs: number | null;
}

export type OverviewCounts = Omit<Overview, 'at'>;

export interface FleetAnswer {
  replicators: FleetReplicator[];
  /** Sums over the replicators that answered; `reachable` says how many that is. */
  totals: OverviewCounts & { runningDsyncs: number; reachable: number; unreachable: number };
  pairs: PairInfo[];
  at: string;
}

export interface PairInfo {
  id: string;
  name: string;
  replicators: [string, string];
}

/** A user of the fleet search: the replicator's fields plus which replicator it is on. */
export interface FleetUser extends ReplicatorUser {
  replicator: string;
}

/** How one replicator's part of a fleet search went. */
export interface FleetPart {
  id: string;
  name: string;
  answered: boolean;
  /** Users of this replicator that pass the filters; null when it did not answer. */
  total: number | null;
  error: ReplicatorProblem | null;
  unknownUserFields: UserSortField[];
}

export interface FleetUsersPage {
  total: number;
  users: FleetUser[];
  parts: FleetPart[];
  at: string;
}

/** One side of a pair for one user: its fields, or why they are missing. */
export interface PairSide {
  replicator: string;
  name: string;
  /** null when the side does not know the user or did not answer (see `error`). */
  user: ReplicatorUser | null;
  error: ReplicatorProblem | null;
  unknownUserFields: UserSortField[];
}

export interface PairUserAnswer {
  pair: PairInfo;
  sides: [PairSide, PairSide];
  at: string;
}

/** Why the two sides of a pair disagree about a user. */
export type DisagreementReason = 'failed' | 'behind' | 'missing';

export interface Disagreement {
  username: string;
  reason: DisagreementReason;
  /** The side that failed, lags or lacks the user. */
  side: string;
  /** How far that side's last successful sync lags the other's; null for never. */
  behindSeconds: number | null;
  sides: [ReplicatorUser | null, ReplicatorUser | null];
}

export interface DisagreementsAnswer {
  pair: PairInfo;
  behindSeconds: number;
  total: number;
  disagreements: Disagreement[];
  /** Sides that did not answer: no comparison was possible. */
  errors: { replicator: string; error: ReplicatorProblem }[];
  at: string;
}
