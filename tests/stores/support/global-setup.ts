/** The stores' tests need a real PostgreSQL: started here unless TEST_DATABASE_URL is set. */
import type { TestProject } from 'vitest/node';

import { services } from '../../support/services';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}

export default function setup(project: TestProject): void {
  project.provide('adminDatabaseUrl', services().adminDatabaseUrl);
}
