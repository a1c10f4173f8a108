import { describe, expect, it } from 'vitest';

import { warmUpUserParsing } from '@/server/live/warm-up';

describe('warmUpUserParsing', () => {
  it.each(['lines', 'batches'] as const)(
    'parses its made-up answer %s to the end, no line left over or refused',
    (how) => {
      expect(warmUpUserParsing(how)).toEqual({ users: 50_000, unparsed: 0 });
    },
  );
});
