/**
 * Reading the audit trail: an operator reads every row; anyone else only their own, and a
 * domain-limited account only the rows about its domains.
 */
import type { AuditPage } from '@/lib/api-types';

import { addressesFor } from '../auth/addresses';
import { roleAllows } from '../auth/policy';
import type { Identity } from '../auth/service';
import { ApiError } from '../http/api-error';
import { getRuntime } from '../runtime';
import type { AuditStore } from '../storage/stores';
import type { AuditFilter, AuditScope } from './log';

/** One page of the rows `who` may read, newest first. */
export async function readAudit(
  audit: AuditStore,
  who: Identity,
  filter: AuditFilter,
): Promise<AuditPage> {
  const page = await audit.query(filter, scopeOf(who, filter));

  // A refusal's message may say where a replicator lives.
  return addressesFor(who, page, getRuntime().replicators.all());
}

/** The rows `who` may read; asking for somebody else's without the right is a 403. */
export function scopeOf(who: Identity, filter: AuditFilter): AuditScope {
  if (roleAllows(who.role, 'audit-all')) return { actor: null, domains: who.domains };
  if (filter.actor !== undefined && filter.actor !== who.name) {
    throw new ApiError(403, 'forbidden', `a ${who.role} may read only their own audit rows`);
  }
  return { actor: who.name, domains: who.domains };
}
