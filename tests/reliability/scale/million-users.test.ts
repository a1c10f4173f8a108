/**
 * A million users searched through the dashboard, three times in a row as an operator who
 * presses Search again would: every answer counts them all, and the replicator neither dies
 * of "Out of memory" (its log says so when it does) nor is restarted meanwhile.
 */
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

import { expect, inject, it } from 'vitest';

import { authHeaders } from '../support/auth';
import { DovecotPair, FAULT_PAIR } from '../support/pair';

const url = inject('relUrl');
const users = inject('relUsers');
const pair = new DovecotPair(FAULT_PAIR);

/**
 * Waits (90 s at most) until this machine's load average is under 1.5. At a million users
 * and its default `vsz_limit` the replicator has some 40 MB to spare, and on two cores
 * other work (a `next build` or browser tests just before, in `npm test`) can starve any
 * reader of it for the 100 ms that take: that would be the machine's failure, not the
 * dashboard's. A failure names the load the reads started at.
 */
async function quietMachine(): Promise<number> {
  const load = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  const deadline = Date.now() + 90_000;
  while (load() >= 1.5 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  return load();
}

/** `load`: the machine's load average when the reads started, named if one fails. */
async function searchAll(fresh: boolean, load: number): Promise<number> {
  const query = `mask=*&limit=100${fresh ? '&fresh=true' : ''}`;
  const response = await fetch(`${url}/api/v1/replicators/default/users?${query}`,
    { headers: authHeaders(inject('relCookie')) });
  const body = (await response.json()) as { total?: number };
  expect(response.status, `${query} at load ${load}: ${JSON.stringify(body)}`).toBe(200);
  return body.total ?? -1;
}

/** The replicator's "Out of memory" lines written after `from` bytes of the log. */
async function outOfMemorySince(from: number): Promise<string[]> {
  const log = (await readFile(pair.paths().logFile)).subarray(from).toString('utf8');
  return log.split('\n').filter((line) => /out of memory/i.test(line));
}

it('reads a million users three times without the replicator running out of memory', async () => {
  const load = await quietMachine();
  const logFrom = statSync(pair.paths().logFile).size;
  const replicator = pair.replicatorPid();

  const totals = [await searchAll(false, load), await searchAll(true, load),
    await searchAll(true, load)];
  // The master logs a child's death a moment after it; give it that moment.
  await new Promise((resolve) => setTimeout(resolve, 1_000));

  expect(users).toBeGreaterThanOrEqual(1_000_000);
  expect(totals).toEqual([users, users, users]);
  expect(await outOfMemorySince(logFrom), `reads started at load ${load}`).toEqual([]);
  expect(pair.replicatorPid(), `reads started at load ${load}`).toBe(replicator);
}, 180_000);
