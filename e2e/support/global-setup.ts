import { createAccounts } from './accounts';

/** The server reads the accounts file whenever it changes, so it may already be running. */
export default function globalSetup(): void {
  createAccounts();
}
