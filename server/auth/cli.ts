/**
 * `npm run users -- COMMAND`: manages the accounts file (AUTH_USERS_FILE, by default
 * DATA_DIR/users.json). A password is read from standard input when that is not a terminal
 * (`printf %s "$pw" | npm run users -- add ...`); otherwise, or with --generate, one is made
 * and printed once. Only its argon2id hash is stored.
 */
import { parseArgs } from 'node:util';

import { loadConfig } from '../config';
import { AccountName, AccountStore, type Account } from './accounts';
import { generatePassword, hashPassword } from './passwords';
import { isRole, type Role } from './policy';
import { parseDomainList } from './proxy';

const USAGE = `usage: npm run users -- COMMAND
  add NAME --role viewer|helpdesk|operator [--domains a.example,b.example] [--generate]
  remove NAME
  set-role NAME ROLE [--domains a.example,b.example]
  passwd NAME [--generate]
  list`;

type Options = { role?: string; domains?: string; generate?: boolean };

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      domains: { type: 'string' },
      generate: { type: 'boolean' },
    },
  });
  const [command, name, role] = positionals;
  const store = new AccountStore(loadConfig().auth.usersFile);

  switch (command) {
    case 'add': return add(store, required(name), values);
    case 'remove': return remove(store, required(name));
    case 'set-role': return setRole(store, required(name), { ...values, role });
    case 'passwd': return passwd(store, required(name), values);
    case 'list': return list(store);
    default: throw new UsageError(command === undefined ? 'no command' : `unknown: ${command}`);
  }
}

async function add(store: AccountStore, name: string, options: Options): Promise<void> {
  const parsedName = AccountName.safeParse(name);
  if (!parsedName.success) {
    throw new UsageError(`bad name: ${parsedName.error.issues[0]?.message}`);
  }
  if (store.find(name) !== undefined) throw new UsageError(`${name} exists already`);

  const role = roleOf(options.role);
  const domains = domainsOf(options.domains, role);
  const password = await passwordFor(options);
  const account: Account = { name, role, passwordHash: await hashPassword(password.text) };
  if (domains !== undefined) account.domains = domains;
  store.update((accounts) => accounts.set(name, account));
  say(`added ${name} (${describe(account)})`, password);
}

function remove(store: AccountStore, name: string): void {
  existing(store, name);
  store.update((accounts) => accounts.delete(name));
  print(`removed ${name}`);
}

function setRole(store: AccountStore, name: string, options: Options): void {
  const account = existing(store, name);
  const role = roleOf(options.role);
  // An operator is never domain-limited; other roles keep their domains unless given new.
  const domains = role === 'operator' ? undefined
    : (domainsOf(options.domains, role) ?? account.domains);
  const { domains: _old, ...rest } = account;
  const changed: Account = domains === undefined ? { ...rest, role } : { ...rest, role, domains };
  store.update((accounts) => accounts.set(name, changed));
  print(`${name} is now ${describe(changed)}`);
}

async function passwd(store: AccountStore, name: string, options: Options): Promise<void> {
  const account = existing(store, name);
  const password = await passwordFor(options);
  const passwordHash = await hashPassword(password.text);
  store.update((accounts) => accounts.set(name, { ...account, passwordHash }));
  say(`new password set for ${name}`, password);
}

function list(store: AccountStore): void {
  for (const account of store.list()) print(`${account.name}\t${describe(account)}`);
}

function describe(account: Account): string {
  const where = account.domains === undefined ? 'all domains' : account.domains.join(', ');
  return `${account.role}, ${where}`;
}

function existing(store: AccountStore, name: string): Account {
  const account = store.find(name);
  if (account === undefined) throw new UsageError(`no account called ${name}`);
  return account;
}

function roleOf(text: string | undefined): Role {
  if (!isRole(text)) throw new UsageError('--role must be viewer, helpdesk or operator');
  return text;
}

function domainsOf(text: string | undefined, role: Role): string[] | undefined {
  if (text === undefined) return undefined;
  if (role === 'operator') throw new UsageError('an operator cannot be limited to domains');
  try {
    return parseDomainList(text, ',');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

type Password = { text: string; generated: boolean };

/** From standard input when it is not a terminal, else (or with --generate) a new one. */
async function passwordFor(options: Options): Promise<Password> {
  if (options.generate === true || process.stdin.isTTY === true) {
    return { text: generatePassword(), generated: true };
  }
  const text = (await readStdin()).replace(/\r?\n$/, '');
  if (text === '') throw new UsageError('no password on standard input (or use --generate)');
  return { text, generated: false };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Prints the outcome, and a generated password once: it is stored nowhere in plain text. */
function say(message: string, password: Password): void {
  print(message);
  if (password.generated) print(`password: ${password.text}`);
}

/** The command's own output for the person at the terminal (not a log event). */
function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function required(name: string | undefined): string {
  if (name === undefined) throw new UsageError('a NAME is required');
  return name;
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
