/**
 * The one place where the custom server hands its long-lived state to the Next.js route
 * handlers. Next bundles the routes separately from server/main.ts, so module-level
 * singletons would exist twice; a global symbol holds the single instance instead.
 */
import type { AuthService } from './auth/service';
import type { ServerConfig } from './config';
import type { AuditStore, HistoryStore } from './storage/stores';
import type { JobTracker } from './jobs/tracker';
import type { StaleUsers } from './live/stale-users';
import type { Metrics } from './metrics';
import type { ReplicatorRegistry } from './replicators';

export interface Runtime {
  config: ServerConfig;
  replicators: ReplicatorRegistry;
  /** Who is asking: sessions, Basic auth, the SSO proxy, sign-in limits. */
  auth: AuthService;
  audit: AuditStore;
  metrics: Metrics;
  /** The queue's past, as the hubs polled it. */
  history: HistoryStore;
  jobs: JobTracker;
  staleUsers: StaleUsers;
}

const KEY = Symbol.for('replicator-dashboard.runtime');

type Holder = { [KEY]?: Runtime };

export function setRuntime(runtime: Runtime): void {
  (globalThis as Holder)[KEY] = runtime;
}

/** The running server's state; throws when called outside the custom server. */
export function getRuntime(): Runtime {
  const runtime = (globalThis as Holder)[KEY];
  if (runtime === undefined) {
    throw new Error('server runtime not started: run the dashboard with server/main.ts');
  }
  return runtime;
}
