/**
 * The audit trail in PostgreSQL, shared by every instance. Each write is its own statement,
 * committed before the promise resolves, so an attempt row exists before the action runs and
 * its outcome before the answer, as with SQLite.
 */
import type { AuditPage } from '@/lib/api-types';

import {
  auditValues,
  literalDomainOf,
  resultColumns,
  toEntry,
  type AuditEvent,
  type AuditFilter,
  type AuditResult,
  type AuditRow,
  type AuditScope,
} from '../../audit/log';
import type { AuditStore } from '../stores';
import type { Pool } from './pool';

const COLUMNS = ['time', 'actor', 'role', 'via', 'source', 'replicator', 'action', 'mask',
  'mask_domain', 'priority', 'full', 'outcome', 'updated', 'error_code', 'error_message'];

const INSERT = `INSERT INTO audit (${COLUMNS.map((c) => `"${c}"`).join(', ')})
  VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`;

const FINISH = `UPDATE audit SET outcome = $2, updated = $3, error_code = $4,
  error_message = $5 WHERE id = $1`;

export class PostgresAuditStore implements AuditStore {
  constructor(private readonly pool: Pool, private readonly now = () => new Date()) {}

  async begin(event: AuditEvent): Promise<number> {
    return this.insert(event, { outcome: 'attempt' });
  }

  async finish(id: number, result: AuditResult): Promise<void> {
    const c = resultColumns(result);
    await this.pool.query(FINISH, [id, c.outcome, c.updated, c.error_code, c.error_message]);
  }

  async record(event: AuditEvent, result: AuditResult): Promise<void> {
    await this.insert(event, result);
  }

  async query(filter: AuditFilter, scope: AuditScope): Promise<AuditPage> {
    const { where, params } = conditions(filter, scope);
    const total = await this.pool.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM audit ${where}`, params);
    const n = params.length;
    const rows = await this.pool.query<AuditRow>(
      `SELECT * FROM audit ${where} ORDER BY id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, filter.limit, filter.offset]);
    return { total: total.rows[0]!.n, entries: rows.rows.map(toEntry) };
  }

  private async insert(event: AuditEvent, result: AuditResult | { outcome: 'attempt' }) {
    const values = auditValues(event, result, this.now());
    const maskDomain = values.mask === null ? null : literalDomainOf(values.mask);
    const row: Record<string, unknown> = { ...values, mask_domain: maskDomain };
    const answer = await this.pool.query<{ id: number }>(INSERT, COLUMNS.map((c) => row[c]));
    return answer.rows[0]!.id;
  }
}

/** The WHERE clause of a filter and scope, with its $n parameters. */
function conditions(filter: AuditFilter, scope: AuditScope) {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    if (value == null) return;
    params.push(value);
    clauses.push(clause.replace('?', `$${params.length}`));
  };
  add('actor = ?', filter.actor);
  add('actor = ?', scope.actor);
  add('action = ?', filter.action);
  add('time >= ?', filter.since);
  add('time <= ?', filter.until);
  // A row without a mask (a sign-in) is visible; a mask must lie within the domains.
  add('(mask IS NULL OR mask_domain = ANY(?::text[]))', scope.domains);
  return { where: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}
