/**
 * The accounts file (AUTH_USERS_FILE): name, role, optional domains and password hash of
 * every person who may sign in. The server reads it again whenever it changes on disk, so
 * `npm run users` takes effect at once; writes replace it atomically, mode 0600.
 */
import { createHash } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { checkPassword } from './passwords';
import { ROLES, type Principal } from './policy';

/** Names are what people type and what the audit trail shows: plain, short, no spaces. */
export const AccountName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/, 'letters, digits and ._@+- only, at most 64');

const Domain = z.string().regex(/^[a-z0-9.-]+$/, 'a lowercase domain name');

const Account = z.object({
  name: AccountName,
  role: z.enum(ROLES),
  domains: z.array(Domain).min(1).optional(),
  passwordHash: z.string().min(1),
}).refine((account) => account.role !== 'operator' || account.domains === undefined, {
  // An operator replicates wildcards across the whole queue: a domain limit would be a lie.
  message: 'an operator account cannot be limited to domains',
});
export type Account = z.infer<typeof Account>;

const AccountsFile = z.object({ version: z.literal(1), users: z.array(Account) });

/** The accounts file as the server and the CLI use it, read again when it changes. */
export class AccountStore {
  private accounts = new Map<string, Account>();
  private stamp = '';

  constructor(readonly file: string) {}

  /** The account of a name, read from the file as it is now; undefined if there is none. */
  find(name: string): Account | undefined {
    this.reloadIfChanged();
    return this.accounts.get(name);
  }

  /** The account if the password is right; takes as long when the name is unknown. */
  async verify(name: string, password: string): Promise<Account | undefined> {
    const account = this.find(name);
    const ok = await checkPassword(account?.passwordHash, password);
    return ok ? account : undefined;
  }

  list(): Account[] {
    this.reloadIfChanged();
    return [...this.accounts.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Applies a change to the file's accounts and writes the result (for the CLI). */
  update(change: (accounts: Map<string, Account>) => void): void {
    this.reloadIfChanged();
    const next = new Map(this.accounts);
    change(next);
    writeAtomically(this.file, { version: 1, users: [...next.values()] });
    this.accounts = next;
    this.stamp = fileStamp(this.file);
  }

  private reloadIfChanged(): void {
    const stamp = fileStamp(this.file);
    if (stamp === this.stamp) return;
    this.accounts = stamp === 'missing' ? new Map() : readAccounts(this.file);
    this.stamp = stamp;
  }
}

/**
 * A short digest of an account's password hash, kept in its sessions: a new password (its
 * hash has a new salt) no longer matches, so `passwd` ends the sessions of a leaked one.
 */
export function passwordStamp(account: Account): string {
  return createHash('sha256').update(account.passwordHash).digest('base64url').slice(0, 16);
}

/** What policy needs of an account. */
export function principalOf(account: Account): Principal {
  return { name: account.name, role: account.role, domains: account.domains ?? null };
}

function fileStamp(file: string): string {
  try {
    const { mtimeMs, size, ino } = statSync(file);
    return `${mtimeMs}:${size}:${ino}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

function readAccounts(file: string): Map<string, Account> {
  const parsed = AccountsFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a valid accounts file`);
  return new Map(parsed.data.users.map((account) => [account.name, account]));
}

function writeAtomically(file: string, content: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(temporary, file);
}
