import { describe, expect, it } from 'vitest';

import { UserStatusReader } from '@/server/replicator/answers';
import { UserLineParser } from '@/server/replicator/user-lines';
import { warmUpBatchParsing, warmUpUserParsing } from '@/server/live/warm-up';

const ALL = { users: 50_000, unparsed: 0 };

describe('warming up the user parsing', () => {
  it('parses its made-up answer line by line, no line left over or refused', () => {
    expect(warmUpUserParsing()).toEqual(ALL);
  });

  it('parses it in batches, with the JavaScript reader and with WebAssembly', async () => {
    const parser = await UserLineParser.load();

    const javascript = warmUpBatchParsing((table) =>
      new UserStatusReader((line) => table.addLine(line)));
    const webassembly = warmUpBatchParsing((table) => parser.reader(table));

    expect(javascript).toEqual(ALL);
    expect(webassembly).toEqual(ALL);
  });
});
