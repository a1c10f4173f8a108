/**
 * What the dashboard needs from a replicator, whichever way it is reached: the replicator's
 * own doveadm protocol (UNIX socket or `inet_listener replicator-doveadm`) or the doveadm
 * HTTP API of the backend that runs it. The hub, kept users, queries, actions and jobs use
 * this and nothing below it.
 */
import type {
  DsyncSlot,
  OverviewCounters,
  UnparsedLines,
  UserLine,
  UserLineSink,
  UserStatus,
} from './answers';
import type { ReplicatePriority, ReplicatorClient } from './client';
import type { StatusConnectionOptions } from './status-connection';

export type TransportKind = 'doveadm-socket' | 'doveadm-http';

/** What a transport cannot tell; the API shows these as unknown (null plus this flag). */
export interface TransportLimits {
  /** User fields it never returns. */
  unknownUserFields: readonly 'nextSyncSeconds'[];
  /** Sync times come back relative to the answer, so they are exact to about a second. */
  relativeTimes: boolean;
}

/** Where user rows go as they are read, so a large answer is never held twice. */
export interface UserSink {
  /** A row read in place from the socket; copy what is kept, the line object is reused. */
  addLine(line: UserLine): void;
  add(user: UserStatus): void;
}

export interface ReplicatorTransport {
  readonly kind: TransportKind;
  readonly limits: TransportLimits;
  /** The seven queue counters. */
  status(): Promise<OverviewCounters>;
  /** The users matching a mask, handed to `sink`; resolves with the rows that did not parse. */
  statusUsers(mask: string, sink: UserSink): Promise<UnparsedLines>;
  /**
   * The lines of the same answer unparsed, where the transport can hand them out as read
   * (the doveadm protocol can; the HTTP API answers in JSON).
   */
  statusUserLines?(mask: string, sink: UserLineSink): Promise<void>;
  /**
   * Where another thread can read a `STATUS <mask>` itself, on a connection of its own (see
   * status-connection.ts), and how to count it as sent; the doveadm protocol only.
   */
  statusConnection?(): StatusConnection;
  dsyncStatus(): Promise<DsyncSlot[]>;
  /** Queues the users of a mask; resolves with how many the replicator queued. */
  replicate(mask: string, priority: ReplicatePriority, full: boolean): Promise<number>;
  add(mask: string): Promise<void>;
  /** Fails with `user_not_found` for a user the replicator does not know. */
  remove(username: string): Promise<void>;
  close(): void;
}

export interface StatusConnection {
  options: StatusConnectionOptions;
  /** Counts the STATUS as sent (metrics), as the transport's own commands are. */
  sent(): void;
}

/** The replicator's own protocol tells everything 2.3 has. */
const SOCKET_LIMITS: TransportLimits = { unknownUserFields: [], relativeTimes: false };

/** The doveadm protocol client as a transport. */
export class SocketTransport implements ReplicatorTransport {
  readonly kind = 'doveadm-socket';
  readonly limits = SOCKET_LIMITS;

  constructor(private readonly client: ReplicatorClient) {}

  status(): Promise<OverviewCounters> {
    return this.client.status();
  }

  statusUsers(mask: string, sink: UserSink): Promise<UnparsedLines> {
    return this.client.statusUsers(mask, (line) => sink.addLine(line));
  }

  statusUserLines(mask: string, sink: UserLineSink): Promise<void> {
    return this.client.statusUserLines(mask, sink);
  }

  statusConnection(): StatusConnection {
    return { options: this.client.separateConnection, sent: () => this.client.noteSent('STATUS') };
  }

  dsyncStatus(): Promise<DsyncSlot[]> {
    return this.client.dsyncStatus();
  }

  replicate(mask: string, priority: ReplicatePriority, full: boolean): Promise<number> {
    return this.client.replicate(mask, priority, full);
  }

  add(mask: string): Promise<void> {
    return this.client.add(mask);
  }

  remove(username: string): Promise<void> {
    return this.client.remove(username);
  }

  close(): void {
    this.client.close();
  }
}

/** The users of a mask, all kept in an array (for one user's page, a pair's comparison). */
export async function listUsers(
  transport: ReplicatorTransport,
  mask: string,
): Promise<{ users: UserStatus[]; unparsed: UnparsedLines }> {
  const users: UserStatus[] = [];
  const sink: UserSink = {
    addLine: (line) => users.push(line.toUserStatus()),
    add: (user) => users.push(user),
  };
  const unparsed = await transport.statusUsers(mask, sink);
  return { users, unparsed };
}
