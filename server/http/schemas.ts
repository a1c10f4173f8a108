/**
 * What the API accepts, as zod schemas: the single source of its input types.
 */
import { z } from 'zod';

import { USER_SORT_FIELDS } from '@/lib/api-types';

/** The replicator reads at most this many bytes of a mask; longer ones are refused here. */
export const MASK_MAX_BYTES = 1024;

/**
 * A user mask as Dovecot matches it: `*` any run of bytes, `?` one byte, case-sensitive.
 * TAB, LF and other control bytes are legal (they are escaped on the wire); NUL is not,
 * because the replicator's C strings end there.
 */
export const Mask = z
  .string({ error: 'mask is required' })
  .min(1, 'mask is empty')
  .refine((mask) => Buffer.byteLength(mask, 'utf8') <= MASK_MAX_BYTES, {
    message: `mask is longer than ${MASK_MAX_BYTES} bytes`,
  })
  .refine((mask) => !mask.includes('\0'), { message: 'mask contains a NUL byte' });

/** A single username: the same rules as a mask, where `*` and `?` are plain characters. */
export const Username = Mask;

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
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(0).max(1000).default(100),
    sort: z.enum(USER_SORT_FIELDS).default('username'),
    order: z.enum(['asc', 'desc']).default('asc'),
    failed: Flag.optional(),
    priority: z.enum(['none', 'low', 'high', 'sync']).optional(),
    staleSeconds: z.coerce.number().int().min(0).optional(),
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
