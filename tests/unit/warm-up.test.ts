import { describe, expect, it } from 'vitest';

import { warmUpUserParsing } from '@/server/live/warm-up';

describe('warmUpUserParsing', () => {
  it('parses its made-up answer to the end without a line left over or refused', () => {
    expect(warmUpUserParsing()).toEqual({ users: 50_000, unparsed: 0 });
  });
});
