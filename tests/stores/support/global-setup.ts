/**
 * The stores' and leases' tests need a real PostgreSQL and Redis: started here unless
 * TEST_DATABASE_URL and TEST_REDIS_URL are set.
 */
import type { TestProject } from 'vitest/node';

import { services } from '../../support/services';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    redisUrl: string;
  }
}

export default function setup(project: TestProject): void {
  const { adminDatabaseUrl, redisUrl } = services();
  project.provide('adminDatabaseUrl', adminDatabaseUrl);
  project.provide('redisUrl', redisUrl);
}
