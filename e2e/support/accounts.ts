/**
 * The browser tests' accounts: one per role, made with the real CLI into the temporary data
 * directory the test server uses (E2E_DATA_DIR, chosen by playwright.config.ts). Their
 * passwords live in that directory only, for the length of the run.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type Role = 'viewer' | 'helpdesk' | 'operator';
export interface E2eAccount {
  name: string;
  password: string;
}

const ROLES: Role[] = ['viewer', 'helpdesk', 'operator'];

function accountsFile(): string {
  const dataDir = process.env.E2E_DATA_DIR;
  if (dataDir === undefined) throw new Error('E2E_DATA_DIR is not set: run through playwright');
  return path.join(dataDir, 'e2e-accounts.json');
}

/** Makes the accounts once per run (global setup). */
export function createAccounts(): void {
  if (existsSync(accountsFile())) return;
  const accounts: Record<string, E2eAccount> = {};
  for (const role of ROLES) {
    const account = { name: `e2e-${role}`, password: randomBytes(12).toString('base64url') };
    execFileSync('node_modules/.bin/tsx',
      ['server/auth/cli.ts', 'add', account.name, '--role', role], {
        env: { ...process.env, DATA_DIR: process.env.E2E_DATA_DIR },
        input: account.password,
        stdio: ['pipe', 'ignore', 'inherit'],
      });
    accounts[role] = account;
  }
  writeFileSync(accountsFile(), JSON.stringify(accounts), { mode: 0o600 });
}

export function accountFor(role: Role): E2eAccount {
  const accounts = JSON.parse(readFileSync(accountsFile(), 'utf8')) as Record<Role, E2eAccount>;
  return accounts[role];
}
