/** Made-up user lines of a STATUS answer, for the parsers' tests. */
import fc from 'fast-check';

/**
 * Seconds as the replicator writes them, and runs of digits around the longest taken (15:
 * more could not be held exactly).
 */
const seconds = fc.oneof(fc.nat().map(String), fc.stringMatching(/^[0-9]{1,18}$/),
  fc.constantFrom('999999999999999', '1000000000000000', '0000000000000001'),
  fc.string({ maxLength: 3 }));

/** Lines as the replicator might send them, and lines it should not: any field may be off. */
export const userLineText = fc.tuple(
  fc.oneof(fc.constantFrom('bob@example.com', 'we\x01tird', 'jürgen', ''), fc.string()),
  fc.oneof(fc.constantFrom('none', 'low', 'high', 'sync'), fc.string({ maxLength: 5 })),
  seconds,
  seconds,
  fc.oneof(fc.constantFrom('0', '1'), fc.string({ maxLength: 2 })),
  seconds,
  fc.option(seconds),
).map(([name, ...rest]) => [name, ...rest.filter((field) => field !== null)].join('\t'))
  .filter((text) => !text.includes('\n'));
