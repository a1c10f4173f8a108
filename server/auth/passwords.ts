/**
 * Password hashes: argon2id with OWASP's minimum parameters (19 MiB, 2 passes), made and
 * checked by @node-rs/argon2, whose hashes carry their own parameters and salt.
 */
import { randomBytes } from 'node:crypto';

import { hash, verify } from '@node-rs/argon2';
import pLimit from 'p-limit';

const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * Password checks run on libuv's thread pool (four threads by default), where the session
 * cookie's decryption runs too. Unlimited, a crowd of Basic-auth requests fills the pool and
 * every signed-in page waits behind it; two checks at a time leave the other threads free.
 */
const hashing = pLimit(2);

/** Checked against when a name is unknown, so that answer takes as long as a wrong password. */
let decoy: Promise<string> | undefined;

/** A new argon2id hash (salted, with its parameters) of a password. */
export function hashPassword(password: string): Promise<string> {
  // @node-rs/argon2's default algorithm is argon2id; the hash starts with $argon2id$.
  return hashing(() => hash(password, OPTIONS));
}

/** Whether the password matches; a malformed hash is a mismatch, not a crash. */
export async function checkPassword(passwordHash: string | undefined, password: string) {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  const against = passwordHash ?? (await decoy);
  const matches = await hashing(() => verify(against, password)).catch(() => false);
  return passwordHash !== undefined && matches;
}

/** A password for a new account: 18 random bytes, 24 URL-safe characters. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
