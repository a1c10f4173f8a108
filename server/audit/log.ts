/**
 * The audit trail: one row per replicate, add and remove (allowed or refused) and per
 * sign-in, failed sign-in and sign-out. An action's row is written as an attempt before the
 * action runs and gets its outcome before the answer is sent; a row still marked `attempt`
 * is an action whose end the server never saw.
 */
import type {
  AuditAction,
  AuditEntry,
  AuditOutcome,
  AuditPage,
  RequestPriority,
  Role,
} from '@/lib/api-types';

import { domainOf, isOneUser, maskWithinDomains } from '../auth/policy';
import type { AuditStore } from '../storage/stores';
import type { Db } from './database';

/** Who did what, from where: the fields every row has. */
export interface AuditEvent {
  actor: string;
  role: Role | null;
  via?: string | null;
  source: string;
  action: AuditAction;
  replicator?: string | null;
  mask?: string | null;
  priority?: RequestPriority | null;
  full?: boolean | null;
}

export type AuditResult =
  | { outcome: 'ok'; updated?: number | null }
  | { outcome: 'refused' | 'failed'; code: string; message: string };

export interface AuditFilter {
  actor?: string;
  action?: AuditAction;
  /** ISO 8601 times, inclusive. */
  since?: string;
  until?: string;
  offset: number;
  limit: number;
}

/** Limits on what a reader sees: only one actor's rows, only some domains' masks. */
export interface AuditScope {
  actor: string | null;
  domains: readonly string[] | null;
}

/** An audit row as both backends store it. */
export interface AuditRow {
  id: number;
  time: string;
  actor: string;
  role: Role | null;
  source: string;
  replicator: string | null;
  action: AuditAction;
  mask: string | null;
  priority: RequestPriority | null;
  full: number | null;
  outcome: AuditOutcome;
  updated: number | null;
  error_code: string | null;
  error_message: string | null;
}

const INSERT = `INSERT INTO audit (time, actor, role, via, source, replicator, action, mask,
  priority, full, outcome, updated, error_code, error_message)
  VALUES (@time, @actor, @role, @via, @source, @replicator, @action, @mask, @priority, @full,
  @outcome, @updated, @error_code, @error_message)`;

const FINISH = `UPDATE audit SET outcome = @outcome, updated = @updated,
  error_code = @error_code, error_message = @error_message WHERE id = @id`;

/**
 * The audit table in SQLite: written by actions and sign-ins, read by the audit page and API.
 * better-sqlite3 is synchronous, so each promise is settled before it is returned.
 */
export class SqliteAuditStore implements AuditStore {
  private readonly insert;
  private readonly finishRow;

  constructor(private readonly db: Db, private readonly now = () => new Date()) {
    this.insert = db.prepare(INSERT);
    this.finishRow = db.prepare(FINISH);
    // Lets SQL keep the rows a domain-limited reader may see, so totals and pages agree.
    db.function('audit_visible', { deterministic: true }, (mask, domains) =>
      visibleTo(mask as string | null, domains as string) ? 1 : 0,
    );
  }

  /** Writes the attempt row of an action about to run; its id is for finish(). */
  async begin(event: AuditEvent): Promise<number> {
    const info = this.insert.run(auditValues(event, { outcome: 'attempt' }, this.now()));
    return Number(info.lastInsertRowid);
  }

  /** Records how an action begun with begin() ended. */
  async finish(id: number, result: AuditResult): Promise<void> {
    this.finishRow.run({ id, ...resultColumns(result) });
  }

  /** Writes a finished event in one row: a refusal, a sign-in, a sign-out. */
  async record(event: AuditEvent, result: AuditResult): Promise<void> {
    this.insert.run(auditValues(event, result, this.now()));
  }

  /** Rows newest first, with the total that passes the filter within the scope. */
  async query(filter: AuditFilter, scope: AuditScope): Promise<AuditPage> {
    const { where, params } = conditions(filter, scope);
    const total = this.db.prepare(`SELECT count(*) AS n FROM audit ${where}`).get(params) as {
      n: number;
    };
    const rows = this.db
      .prepare(`SELECT * FROM audit ${where} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: filter.limit, offset: filter.offset }) as AuditRow[];
    return { total: total.n, entries: rows.map(toEntry) };
  }
}

/** The columns of a new row, named as both backends name them. */
export function auditValues(
  event: AuditEvent,
  result: AuditResult | { outcome: 'attempt' },
  now: Date,
) {
  return {
    time: now.toISOString(),
    actor: event.actor,
    role: event.role,
    via: event.via ?? null,
    source: event.source,
    replicator: event.replicator ?? null,
    action: event.action,
    mask: event.mask ?? null,
    priority: event.priority ?? null,
    full: event.full == null ? null : Number(event.full),
    ...resultColumns(result),
  };
}

export function resultColumns(result: AuditResult | { outcome: 'attempt' }) {
  const failed = result.outcome === 'refused' || result.outcome === 'failed';
  return {
    outcome: result.outcome,
    updated: result.outcome === 'ok' ? (result.updated ?? null) : null,
    error_code: failed ? result.code : null,
    error_message: failed ? result.message : null,
  };
}

function conditions(filter: AuditFilter, scope: AuditScope) {
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  const add = (clause: string, name: string, value: string | undefined | null) => {
    if (value == null) return;
    clauses.push(clause);
    params[name] = value;
  };
  add('actor = @actor', 'actor', filter.actor);
  add('actor = @scopeActor', 'scopeActor', scope.actor);
  add('action = @action', 'action', filter.action);
  add('time >= @since', 'since', filter.since);
  add('time <= @until', 'until', filter.until);
  const domains = scope.domains === null ? null : JSON.stringify(scope.domains);
  add('audit_visible(mask, @domains) = 1', 'domains', domains);
  return { where: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}

/**
 * The one domain every user of a mask lies in (ASCII-lowercased), or null when the text after
 * its last `@` has wildcards or there is none: such a row is for unlimited readers only.
 */
export function literalDomainOf(mask: string): string | null {
  const domain = domainOf(mask);
  return domain !== null && isOneUser(domain) ? domain : null;
}

/** A row without a mask (a sign-in) is visible; a mask must lie within the domains. */
function visibleTo(mask: string | null, domainsJson: string): boolean {
  if (mask === null) return true;
  const domains = JSON.parse(domainsJson) as string[];
  return maskWithinDomains({ name: '', role: 'viewer', domains }, mask);
}

export function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    time: row.time,
    actor: row.actor,
    role: row.role,
    source: row.source,
    replicator: row.replicator,
    action: row.action,
    mask: row.mask,
    priority: row.priority,
    full: row.full === null ? null : row.full === 1,
    outcome: row.outcome,
    updated: row.updated,
    errorCode: row.error_code,
    errorMessage: row.error_message,
  };
}
