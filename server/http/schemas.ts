/**
 * What the API accepts, as zod schemas: the single source of its input types.
 */
import { z } from 'zod';

import { AUDIT_ACTIONS, USER_SORT_FIELDS } from '@/lib/api-types';

/** The replicator reads at most this many bytes of a mask; longer ones are refused here. */
export const MASK_MAX_BYTES = 1024;

/**
 * A user name or mask as the replicator takes it: 1 to 1024 bytes of UTF-8. TAB, LF and
 * other control bytes are legal (they are escaped on the wire); NUL is not, because the
 * replicator's C strings end there.
 */
function replicatorText(what: string) {
  return z
    .string({
      error: (issue) => `${what} ${issue.input === undefined ? 'is missing' : 'must be a string'}`,
    })
    .min(1, `${what} is empty`)
    .refine((text) => Buffer.byteLength(text, 'utf8') <= MASK_MAX_BYTES, {
      message: `${what} is longer than ${MASK_MAX_BYTES} bytes`,
    })
    .refine((text) => !text.includes('\0'), { message: `${what} contains a NUL byte` })
    // JSON can carry a lone UTF-16 surrogate; UTF-8 cannot, so it would reach the replicator
    // as U+FFFD, another name than the one asked for.
    .refine((text) => !/\p{Cs}/u.test(text), { message: `${what} holds a lone surrogate` });
}

/** A user mask as Dovecot matches it: `*` any run of bytes, `?` one byte, case-sensitive. */
export const Mask = replicatorText('the mask');

/** A single username, where `*` and `?` are plain characters. */
export const Username = replicatorText('the username');

/** A whole number written as plain decimal digits: no signs, exponents, hex or blanks. */
const Count = z.string().regex(/^\d{1,15}$/, 'must be a whole number').transform(Number);

export const ReplicateBody = z.strictObject({
  mask: Mask,
  priority: z.enum(['high', 'low']).default('low'),
  full: z.boolean().default(false),
});

export const AddBody = z.strictObject({ mask: Mask });

const Flag = z.enum(['true', 'false']).transform((flag) => flag === 'true');

export const UsersQuery = z
  .object({
    mask: Mask,
    offset: Count.default(0),
    limit: Count.pipe(z.number().max(1000, 'limit is at most 1000')).default(100),
    sort: z.enum(USER_SORT_FIELDS).default('username'),
    order: z.enum(['asc', 'desc']).default('asc'),
    failed: Flag.optional(),
    priority: z.enum(['none', 'low', 'high', 'sync']).optional(),
    staleSeconds: Count.optional(),
    fresh: Flag.default(false),
  })
  .transform(({ failed, priority, staleSeconds, ...page }) => ({
    ...page,
    filter: { failed, priority, staleSeconds },
  }));

export const WatchPayload = z.strictObject({ replicator: z.string().min(1), mask: Mask });
export const SubscribePayload = z.strictObject({ replicator: z.string().min(1) });

/** A readable one-line summary of what was wrong with the input. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ` : '') + issue.message)
    .join('; ');
}

/** The login form. Lengths are bounded so a huge "password" cannot tie up argon2. */
export const SignInBody = z.strictObject({
  name: z.string().min(1, 'name is required').max(256),
  password: z.string().min(1, 'password is required').max(1024),
});

/** An ISO 8601 time (or what a datetime-local input sends), normalised to UTC ISO. */
const Time = z.coerce
  .date({ error: 'not a date and time' })
  .transform((date) => date.toISOString());

/** An empty form field means "any". */
const blankIsAny = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const AuditQuery = z.object({
  actor: blankIsAny(z.string().max(256)),
  action: blankIsAny(z.enum(AUDIT_ACTIONS)),
  since: blankIsAny(Time),
  until: blankIsAny(Time),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The CSV export takes the same filters and up to this many rows at once. */
export const AUDIT_EXPORT_MAX_ROWS = 100_000;
export const AuditExportQuery = AuditQuery.extend({
  limit: z.coerce.number().int().min(1).max(AUDIT_EXPORT_MAX_ROWS).default(AUDIT_EXPORT_MAX_ROWS),
});

export const JobsQuery = z.object({
  offset: Count.default(0),
  limit: Count.pipe(z.number().max(200, 'limit is at most 200')).default(50),
});

export const JobQuery = z.object({
  state: z.enum(['done', 'failed', 'running', 'waiting', 'gone']).optional(),
  offset: Count.default(0),
  limit: Count.pipe(z.number().max(1000, 'limit is at most 1000')).default(100),
});
