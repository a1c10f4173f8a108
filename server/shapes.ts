/**
 * Turns what the replicator answers into the API's shapes: Unix seconds become ISO 8601
 * strings, 0 ("never") becomes null.
 */
import type { Dsync, Overview, ReplicatorUser } from '@/lib/api-types';

import type { DsyncSlot, OverviewCounters, UserStatus } from './replicator/answers';

export function isoTime(unixSeconds: number): string | null {
  return unixSeconds === 0 ? null : new Date(unixSeconds * 1000).toISOString();
}

export function toApiUser(user: UserStatus): ReplicatorUser {
  return {
    username: user.username,
    priority: user.priority,
    lastFastSync: isoTime(user.lastFastSync),
    lastFullSync: isoTime(user.lastFullSync),
    lastSuccessfulSync: isoTime(user.lastSuccessfulSync),
    failed: user.failed,
    nextSyncSeconds: user.nextSyncSeconds,
  };
}

export function toApiOverview(counters: OverviewCounters, at: Date): Overview {
  return { ...counters, at: at.toISOString() };
}

export function toApiDsync(slot: DsyncSlot): Dsync {
  return { username: slot.username, type: slot.type, state: slot.state };
}
