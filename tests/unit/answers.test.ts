import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  AnswerFormatError,
  CLIENT_HANDSHAKE,
  DsyncReader,
  OverviewReader,
  SimpleReplyReader,
  UserStatusReader,
  checkHandshake,
  parseUserLine,
  type AnswerReader,
  type UserStatus,
} from '@/server/replicator/answers';

import { userLineText } from './support/user-lines';

/** Feeds lines until the reader says the answer is complete; returns whether it did. */
function feed(reader: AnswerReader<unknown>, lines: string[]): boolean {
  return lines.some((line) => reader.take(Buffer.from(line, 'utf8')));
}

const OVERVIEW = [
  "Queued 'sync' requests\t1",
  "Queued 'high' requests\t2",
  "Queued 'low' requests\t3",
  "Queued 'failed' requests\t4",
  "Queued 'full resync' requests\t5",
  "Waiting 'failed' requests\t6",
  'Total number of known users\t200000',
];

const COUNTERS = {
  queuedSync: 1,
  queuedHigh: 2,
  queuedLow: 3,
  queuedFailed: 4,
  queuedFullResync: 5,
  waitingFailed: 6,
  totalUsers: 200000,
};

describe('OverviewReader', () => {
  it('reads the seven counters', () => {
    const reader = new OverviewReader();

    feed(reader, [...OVERVIEW, '']);

    expect(reader.result()).toEqual(COUNTERS);
  });

  it('completes at the empty line and not before', () => {
    const reader = new OverviewReader();

    const early = feed(reader, OVERVIEW);
    const done = feed(reader, ['']);

    expect([early, done]).toEqual([false, true]);
  });

  it('fails in result() when a label is missing', () => {
    const reader = new OverviewReader();
    feed(reader, [...OVERVIEW.filter((line) => !line.startsWith('Waiting')), '']);

    expect(() => reader.result()).toThrow(AnswerFormatError);
    expect(() => reader.result()).toThrow("Waiting 'failed' requests");
  });

  it.each(['many', '-1', '1.5', ''])('fails on the count %j', (count) => {
    const reader = new OverviewReader();

    const take = () => feed(reader, [`Queued 'low' requests\t${count}`]);

    expect(take).toThrow(AnswerFormatError);
  });

  it('tolerates a label it does not know', () => {
    const reader = new OverviewReader();

    feed(reader, [OVERVIEW[0]!, "Queued 'urgent' requests\t9", ...OVERVIEW.slice(1), '']);

    expect(reader.result()).toEqual(COUNTERS);
  });
});

const BOB: UserStatus = {
  username: 'bob@example.com',
  priority: 'high',
  lastFastSync: 1700000100,
  lastFullSync: 1700000000,
  failed: false,
  lastSuccessfulSync: 1700000100,
  nextSyncSeconds: null,
};

/** One user line as the replicator sends it, from fields that need no escaping. */
function line(fields: string[]): Buffer {
  return Buffer.from(fields.join('\t'));
}

describe('parseUserLine', () => {
  it('reads the six fields of Dovecot 2.3.19', () => {
    const fields = ['bob@example.com', 'high', '1700000100', '1700000000', '0', '1700000100'];

    expect(parseUserLine(line(fields))).toEqual(BOB);
  });

  it('reads the seconds to the next sync that 2.3.20 adds', () => {
    const fields = ['bob@example.com', 'high', '1700000100', '1700000000', '0', '1700000100'];

    expect(parseUserLine(line([...fields, '42']))).toEqual({ ...BOB, nextSyncSeconds: 42 });
  });

  it('reads a failed user that never synced', () => {
    const fields = ['new@example.com', 'none', '0', '0', '1', '0'];

    const user = parseUserLine(line(fields));

    expect(user).toMatchObject({ failed: true, lastFastSync: 0, lastSuccessfulSync: 0 });
  });

  it.each([
    { why: 'five fields', fields: ['bob', 'none', '0', '0', '0'] },
    { why: 'eight fields', fields: ['bob', 'none', '0', '0', '0', '0', '0', '0'] },
    { why: 'an unknown priority', fields: ['bob', 'urgent', '0', '0', '0', '0'] },
    { why: 'failed as 2', fields: ['bob', 'none', '0', '0', '2', '0'] },
    { why: 'failed as yes', fields: ['bob', 'none', '0', '0', 'yes', '0'] },
    { why: 'a time that is no number', fields: ['bob', 'none', 'soon', '0', '0', '0'] },
    { why: 'a negative time', fields: ['bob', 'none', '0', '-1', '0', '0'] },
    { why: 'an empty last success', fields: ['bob', 'none', '0', '0', '0', ''] },
    { why: 'a next sync that is no number', fields: ['bob', 'none', '0', '0', '0', '0', 'x'] },
  ])('rejects $why', ({ fields }) => {
    expect(parseUserLine(line(fields))).toBeNull();
  });
});

/** Reads a `STATUS <mask>` answer; returns the users and what did not parse. */
function readUsers(lines: string[]) {
  const users: UserStatus[] = [];
  const reader = new UserStatusReader((line) => users.push(line.toUserStatus()));
  const done = feed(reader, lines);
  return { done, users, unparsed: reader.result() };
}

describe('UserStatusReader', () => {
  it('hands each user to the sink and completes at the empty line', () => {
    const lines = ['bob@example.com\thigh\t1700000100\t1700000000\t0\t1700000100', ''];

    const { done, users } = readUsers(lines);

    expect(done).toBe(true);
    expect(users).toEqual([BOB]);
  });

  it('mixes 2.3.19 and 2.3.20 lines', () => {
    const lines = ['a\tnone\t0\t0\t0\t0', 'b\tlow\t0\t0\t0\t0\t300', ''];

    const { users } = readUsers(lines);

    expect(users.map((user) => user.nextSyncSeconds)).toEqual([null, 300]);
  });

  it('unescapes usernames with TAB, LF and 0x01 in them', () => {
    const lines = ['we\x01tird\x01nna\x011me\tnone\t0\t0\t0\t0', ''];

    const { users } = readUsers(lines);

    expect(users[0]?.username).toBe('we\tird\nna\x01me');
  });

  it('reads a UTF-8 username', () => {
    const { users } = readUsers(['jürgen@example.net\tsync\t0\t0\t0\t0', '']);

    expect(users[0]?.username).toBe('jürgen@example.net');
  });

  it('counts every line it cannot read and keeps the first three', () => {
    const bad = [
      'a\tnone\t0',
      'b\turgent\t0\t0\t0\t0',
      'c\tnone\t0\t0\t7\t0',
      'd\tnone\tx\t0\t0\t0',
    ];

    const { users, unparsed } = readUsers(['ok\tnone\t0\t0\t0\t0', ...bad, '']);

    expect(users.map((user) => user.username)).toEqual(['ok']);
    expect(unparsed).toEqual({ count: 4, samples: bad.slice(0, 3) });
  });

  it('reports nothing unparsed for a clean answer', () => {
    expect(readUsers(['']).unparsed).toEqual({ count: 0, samples: [] });
  });
});

describe('UserStatusReader.takeLines', () => {
  it('reads lines batched behind each other as it reads them one by one', () => {
    fc.assert(fc.property(fc.array(userLineText, { maxLength: 20 }), fc.boolean(), (lines, lf) => {
      const one = readUsers([...lines, '']);
      const users: UserStatus[] = [];
      const reader = new UserStatusReader((line) => users.push(line.toUserStatus()));
      const batch = Buffer.from(lines.map((line) => `${line}\n`).join(''), 'utf8');

      reader.takeLines(batch, 0, lf || batch.length === 0 ? batch.length : batch.length - 1);

      expect(users).toEqual(one.users);
      expect(reader.result()).toEqual(one.unparsed);
    }));
  });
});

describe('DsyncReader', () => {
  it('reads busy slots of each type', () => {
    const reader = new DsyncReader();

    feed(reader, [
      'bob@example.com\tfull\tWaiting for dsync to finish',
      'ann@example.com\tnormal\tIdle',
      'jürgen@example.net\tincremental\tWaiting for handshake',
      '',
    ]);

    expect(reader.result()).toEqual([
      { username: 'bob@example.com', type: 'full', state: 'Waiting for dsync to finish' },
      { username: 'ann@example.com', type: 'normal', state: 'Idle' },
      { username: 'jürgen@example.net', type: 'incremental', state: 'Waiting for handshake' },
    ]);
  });

  it('reads an idle slot as no user and no type', () => {
    const reader = new DsyncReader();

    feed(reader, ['\t-\tNot connected', '']);

    expect(reader.result()).toEqual([{ username: null, type: null, state: 'Not connected' }]);
  });

  it('keeps a failed-to-connect state whole', () => {
    const state =
      "Failed to connect to '/run/dovecot/doveadm-server' - last attempt 3 secs ago";
    const reader = new DsyncReader();

    feed(reader, [`\t-\t${state}`, '']);

    expect(reader.result()[0]?.state).toBe(state);
  });

  it('unescapes the username', () => {
    const reader = new DsyncReader();

    feed(reader, ['a\x01tb\tfull\tIdle', '']);

    expect(reader.result()[0]?.username).toBe('a\tb');
  });

  it('completes at the empty line', () => {
    expect(feed(new DsyncReader(), ['\t-\tNot connected', ''])).toBe(true);
  });

  it('fails on an unknown type', () => {
    expect(() => feed(new DsyncReader(), ['bob\tturbo\tIdle'])).toThrow(AnswerFormatError);
  });

  it('fails on a line with too few fields', () => {
    expect(() => feed(new DsyncReader(), ['bob\tfull'])).toThrow(AnswerFormatError);
  });
});

describe('SimpleReplyReader', () => {
  it.each([
    { line: '+12', reply: { ok: true, text: '12' } },
    { line: '+', reply: { ok: true, text: '' } },
    { line: '-Invalid priority', reply: { ok: false, reason: 'Invalid priority' } },
    { line: '-User not found', reply: { ok: false, reason: 'User not found' } },
  ])('reads $line', ({ line, reply }) => {
    const reader = new SimpleReplyReader();

    const done = feed(reader, [line]);

    expect(done).toBe(true);
    expect(reader.result()).toEqual(reply);
  });

  it.each(['OK', '', 'Queued \'sync\' requests\t0'])('fails on %j', (line) => {
    expect(() => feed(new SimpleReplyReader(), [line])).toThrow(AnswerFormatError);
  });

  it('has no result before a line', () => {
    expect(() => new SimpleReplyReader().result()).toThrow(AnswerFormatError);
  });
});

describe('checkHandshake', () => {
  const check = (line: string) => checkHandshake(Buffer.from(line));

  it('accepts the replicator server 1.0', () => {
    expect(check('VERSION\treplicator-doveadm-server\t1\t0')).toEqual({ ok: true });
  });

  it('accepts another minor version', () => {
    expect(check('VERSION\treplicator-doveadm-server\t1\t5')).toEqual({ ok: true });
  });

  it('refuses another service', () => {
    const verdict = check('VERSION\tdoveadm-server\t1\t0');

    expect(verdict).toEqual({ ok: false, why: expect.stringContaining('unexpected greeting') });
  });

  it('refuses major version 2', () => {
    const verdict = check('VERSION\treplicator-doveadm-server\t2\t0');

    expect(verdict).toEqual({ ok: false, why: expect.stringContaining('version 2.0') });
  });

  it('refuses garbage', () => {
    expect(check('\x00\xff\x01garbage').ok).toBe(false);
  });

  it('pairs with the client line the replicator expects', () => {
    expect(CLIENT_HANDSHAKE).toBe('VERSION\treplicator-doveadm-client\t1\t0\n');
  });
});
