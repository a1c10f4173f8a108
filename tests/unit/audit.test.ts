import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it, vi } from 'vitest';

import { ActionAudit } from '@/server/audit/action-audit';
import { cell, auditCsv } from '@/server/audit/csv';
import { openDatabase, RevokedSessions } from '@/server/audit/database';
import { SqliteAuditStore } from '@/server/audit/log';
import type { Identity } from '@/server/auth/service';

function freshLog(): SqliteAuditStore {
  return new SqliteAuditStore(openDatabase(mkdtempSync(path.join(tmpdir(), 'audit-unit-'))));
}

const operator: Identity = {
  name: 'olga', role: 'operator', domains: null, via: 'session', session: null, credential: null,
  source: '::1',
};
const netDesk: Identity = { ...operator, name: 'nina', role: 'helpdesk',
  domains: ['example.net'] };

const page = { offset: 0, limit: 100 };

// The store itself is tested on both backends in tests/stores/audit.test.ts.
describe('signed-out sessions', () => {
  it('remembers signed-out sessions until they would have ended', () => {
    const revoked = new RevokedSessions(openDatabase(mkdtempSync(path.join(tmpdir(), 'rv-'))));
    revoked.revoke('sid-1', 2_000, 1_000);

    expect(revoked.isRevoked('sid-1', 1_500)).toBe(true);
    expect(revoked.isRevoked('sid-1', 2_500)).toBe(false);
    expect(revoked.isRevoked('sid-2', 1_500)).toBe(false);
  });
});

describe('an audited action', () => {
  const details = { replicator: 'default', mask: 'a@example.net',
    permission: 'replicate-user' as const };

  it('is not performed when its attempt row cannot be written', async () => {
    const log = freshLog();
    vi.spyOn(log, 'begin').mockImplementation(() => {
      throw new Error('disk full');
    });
    const perform = vi.fn(async () => ({ updated: 1 }));
    const audit = new ActionAudit(log, operator, 'replicate', { replicator: null, mask: null });

    await expect(audit.run(details, perform)).rejects.toMatchObject({
      status: 500, code: 'audit_failed',
    });
    expect(perform).not.toHaveBeenCalled();
  });

  it('records a refusal for a mask outside the domains, and one row only', async () => {
    const log = freshLog();
    const perform = vi.fn(async () => ({ updated: 1 }));
    const audit = new ActionAudit(log, netDesk, 'replicate', { replicator: null, mask: null });

    await expect(audit.run({ ...details, mask: 'a@example.com' }, perform)).rejects
      .toMatchObject({ status: 403, code: 'forbidden' });
    await audit.refuse('forbidden', 'again');
    expect(perform).not.toHaveBeenCalled();
    expect((await log.query(page, { actor: null, domains: null })).entries).toEqual([
      expect.objectContaining({ outcome: 'refused', mask: 'a@example.com' }),
    ]);
  });

  it('records a failure with the error code', async () => {
    const log = freshLog();
    const audit = new ActionAudit(log, operator, 'remove', { replicator: null, mask: null });
    const failure = Object.assign(new Error('gone'), { name: 'ReplicatorError',
      code: 'user_not_found', hint: null });

    await expect(audit.run({ ...details, permission: 'remove' }, async () => {
      throw failure;
    })).rejects.toBe(failure);
    expect((await log.query(page, { actor: null, domains: null })).entries[0]).toMatchObject({
      outcome: 'failed', errorCode: 'user_not_found', errorMessage: 'gone',
    });
  });
});

describe('CSV', () => {
  it.each([
    ['plain', 'plain'],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@x', "'@x"],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=a,"b"', `"'=a,""b"""`],
    ['line\nbreak', '"line\nbreak"'],
  ])('quotes and guards %j', (value, expected) => {
    expect(cell(value)).toBe(expected);
  });

  it('writes numbers, booleans and nulls as they are', () => {
    expect([cell(3), cell(false), cell(null), cell(-1)]).toEqual(['3', 'false', '', '-1']);
  });

  it('has a header row and CRLF line ends', () => {
    const csv = auditCsv([]);
    expect(csv.startsWith('id,time,actor,role,source,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
