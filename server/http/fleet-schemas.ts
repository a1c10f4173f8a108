/**
 * What the fleet and pair routes accept, as zod schemas.
 */
import { z } from 'zod';

import { FLEET_MAX_ROWS } from '../fleet';
import { UsersQuery } from './schemas';

/** A fleet search pages like one replicator's, through at most FLEET_MAX_ROWS merged rows. */
export const FleetUsersQuery = UsersQuery.refine((q) => q.offset + q.limit <= FLEET_MAX_ROWS, {
  message: `offset + limit is at most ${FLEET_MAX_ROWS} for a search over all replicators`,
});

const Count = z.string().regex(/^\d{1,15}$/, 'must be a whole number').transform(Number);

export const DisagreementsQuery = z.strictObject({
  /** Overrides PAIR_BEHIND_SECONDS for this one list. */
  behindSeconds: Count.optional(),
  offset: Count.default(0),
  limit: Count.pipe(z.number().max(1000, 'limit is at most 1000')).default(100),
});
