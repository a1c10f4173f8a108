import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadConfig } from '../../server/config';
import { loadReplicatorListing } from '../../server/replicators-file';

/** An environment of only these variables (Next's types require NODE_ENV). */
const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

const dir = mkdtempSync(path.join(tmpdir(), 'replicators-file-'));

function listing(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('REPLICATORS_FILE', () => {
  it('reads YAML with a socket, an inet listener, an HTTP API and a pair', () => {
    writeFileSync(path.join(dir, 'mx3.key'), 'sekrit\n');
    const file = listing('fleet.yaml', [
      'replicators:',
      '  - { id: mx1, name: Backend 1, socket: /run/dovecot/replicator-doveadm }',
      '  - { id: mx2, inet: "127.0.0.1:12345" }',
      '  - id: mx3',
      '    http: { url: "http://127.0.0.1:8080/doveadm/v1/", apiKey: { file: mx3.key } }',
      '  - id: mx4',
      '    http: { url: "http://127.0.0.1:8081/doveadm/v1", password: { env: MX4_PASS } }',
      'pairs:',
      '  - { id: mx1-mx2, replicators: [mx1, mx2] }',
    ].join('\n'));

    const read = loadReplicatorListing(file, env({ MX4_PASS: 'pw' }));

    expect(read.replicators.map((r) => [r.id, r.name])).toEqual([
      ['mx1', 'Backend 1'], ['mx2', 'mx2'], ['mx3', 'mx3'], ['mx4', 'mx4'],
    ]);
    expect(read.replicators[1]!.reach).toEqual({
      kind: 'doveadm-socket', address: { kind: 'tcp', host: '127.0.0.1', port: 12345 },
    });
    expect(read.replicators[2]!.reach).toEqual({
      kind: 'doveadm-http',
      url: 'http://127.0.0.1:8080/doveadm/v1',
      authorization: `X-Dovecot-API ${Buffer.from('sekrit').toString('base64')}`,
    });
    expect(read.replicators[3]!.reach).toMatchObject({
      authorization: `Basic ${Buffer.from('doveadm:pw').toString('base64')}`,
    });
    expect(read.pairs).toEqual([{ id: 'mx1-mx2', name: 'mx1-mx2', replicators: ['mx1', 'mx2'] }]);
  });

  it('refuses a secret written into the listing itself', () => {
    const file = listing('secret.json', JSON.stringify({
      replicators: [{ id: 'a', http: { url: 'http://127.0.0.1:8080/doveadm/v1', apiKey: 'x' } }],
    }));

    expect(() => loadReplicatorListing(file, env({}))).toThrow(/replicators\.0\.http\.apiKey/);
  });

  it('names every problem at once: repeated id, unknown pair side, unset variable', () => {
    const file = listing('bad.json', JSON.stringify({
      replicators: [
        { id: 'a', socket: '/x' },
        { id: 'a', inet: '127.0.0.1:1' },
        { id: 'b', http: { url: 'http://127.0.0.1:1/doveadm/v1', password: { env: 'NOPE' } } },
      ],
      pairs: [{ id: 'p', replicators: ['a', 'zz'] }],
    }));

    expect(() => loadReplicatorListing(file, env({}))).toThrow(
      /"a" is listed twice.*no replicator "zz"/,
    );
  });

  it('refuses an entry with two ways to reach it, and broken YAML', () => {
    const two = listing('two.yaml', 'replicators:\n  - { id: a, socket: /x, inet: "h:1" }\n');
    const broken = listing('broken.yaml', 'replicators: [\n');

    expect(() => loadReplicatorListing(two, env({}))).toThrow(/exactly one of "socket", "inet"/);
    expect(() => loadReplicatorListing(broken, env({}))).toThrow(/not valid YAML/);
  });

  it('keeps REPLICATOR_SOCKET alone as one replicator, and refuses both at once', () => {
    const file = listing('one.yaml', 'replicators:\n  - { id: a, socket: /x }\n');

    expect(loadConfig(env({ REPLICATOR_SOCKET: '/run/r' })).replicators).toEqual([
      { id: 'default', name: 'default',
        reach: { kind: 'doveadm-socket', address: { kind: 'unix', path: '/run/r' } } },
    ]);
    expect(() => loadConfig(env({ REPLICATORS_FILE: file, REPLICATOR_SOCKET: '/run/r' })))
      .toThrow(/not both/);
    const listed = loadConfig(env({ REPLICATORS_FILE: file })).replicators;
    expect(listed.map((r) => r.id)).toEqual(['a']);
  });
});
