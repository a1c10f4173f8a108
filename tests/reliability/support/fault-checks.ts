/**
 * The checks every fault test makes, in the words of the issue: the dashboard stays up,
 * every request in flight ends within its timeout with the right code and a message, the
 * state shows on the API and on socket.io within two seconds, and the hub is back within
 * two seconds of the replicator's return.
 */
import { expect, inject } from 'vitest';

import { DashboardApi, type Answer, type ReplicatorState } from './api';
import { LiveWatcher } from './live';
import { DovecotPair, FAULT_PAIR, replicatorAnswers } from './pair';

/** The bound for showing a state and for recovering. */
export const SHOW_MS = 2_000;

export interface FaultContext {
  api: DashboardApi;
  live: LiveWatcher;
  pair: DovecotPair;
  socket: string;
  commandTimeoutMs: number;
}

/** A dashboard and a live view that both say the replicator is up, as each test starts. */
export async function healthyStart(): Promise<FaultContext> {
  const api = new DashboardApi(inject('relUrl'), inject('relCookie'));
  const socket = inject('relSocket');
  await expect.poll(() => replicatorAnswers(socket), { timeout: 30_000 }).toBe(true);
  await expect.poll(() => api.state(), { timeout: 10_000 }).toMatchObject({ connected: true });

  const live = await LiveWatcher.open(api.url, inject('relCookie'));
  const commandTimeoutMs = Number(inject('relEnv').COMMAND_TIMEOUT_MS ?? 30_000);
  return { api, live, pair: new DovecotPair(FAULT_PAIR), socket, commandTimeoutMs };
}

/**
 * Polls `probe` every 25 ms until `ok`; resolves with the ms since `since` (null when the
 * time ran out) and the last value seen.
 */
export async function until<T>(
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  since: number,
  timeoutMs: number,
): Promise<{ ms: number | null; last: T | undefined }> {
  let last: T | undefined;
  while (performance.now() - since <= timeoutMs) {
    last = await probe();
    if (ok(last)) return { ms: performance.now() - since, last };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { ms: null, last };
}

const isDown = (codes: string[]) => (state: { connected: boolean; code?: string | null }) =>
  !state.connected && codes.includes(state.code ?? '');

/** The API and socket.io both show the replicator down with one of `codes` within 2 s. */
export async function expectShownDown(ctx: FaultContext, since: number, codes: string[]) {
  const apiDown = (state: ReplicatorState) => isDown(codes)({ ...state, code: state.error?.code });
  const api = await until(() => ctx.api.state(), apiDown, since, SHOW_MS);
  const last = JSON.stringify(api.last);
  expect(api.ms, `API state down with ${codes.join('|')} in ${SHOW_MS} ms: ${last}`).not.toBeNull();

  const live = await ctx.live.waitForLatest(isDown(codes), since, SHOW_MS);
  const state = await ctx.api.state();
  expect(state.error?.message).toEqual(expect.any(String));
  expect(state.error?.hint ?? '').not.toContain('\n    at ');
  return { api: api.ms, live };
}

/** What GET /api/v1/replicators said, every 25 ms, from its start until `finish`. */
export class StateRecorder {
  readonly seen: { at: number; connected: boolean; code: string | null }[] = [];
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(private readonly api: DashboardApi) {
    this.done = this.loop();
  }

  finish(): Promise<void> {
    this.stopped = true;
    return this.done;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const state = await this.api.state();
      this.seen.push({ at: performance.now(), connected: state.connected,
        code: state.error?.code ?? null });
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/**
 * Looking back over what the API (recorded) and socket.io said: two seconds after `since`
 * both showed the replicator down with one of `codes`, and kept showing it until the end.
 * Resolves with the ms from `since` to the start of that showing (0 if it was shown before).
 */
export function expectShownDownSince(
  ctx: FaultContext,
  recorded: StateRecorder,
  since: number,
  codes: string[],
) {
  const api = downSince(recorded.seen, since, codes);
  const live = downSince(ctx.live.seen, since, codes);
  const tell = (seen: { connected: boolean; code: string | null }[]) =>
    JSON.stringify(seen.slice(-5).map(({ connected, code }) => ({ connected, code })));
  expect(api, `API down with ${codes.join('|')} by ${SHOW_MS} ms: ${tell(recorded.seen)}`)
    .not.toBeNull();
  expect(live, `socket.io down with ${codes.join('|')} by ${SHOW_MS} ms: ${tell(ctx.live.seen)}`)
    .not.toBeNull();
  return { api, live };
}

/** When the last run of down states that covers `since` + SHOW_MS to the end began. */
function downSince(
  seen: readonly { at: number; connected: boolean; code: string | null }[],
  since: number,
  codes: string[],
): number | null {
  const down = isDown(codes);
  let start: number | null = null;
  for (const state of seen) {
    if (!down(state)) start = null;
    else start ??= state.at;
  }
  if (start === null || start > since + SHOW_MS) return null;
  return Math.max(0, start - since);
}

/** The API and socket.io both show the replicator connected again within 2 s of `since`. */
export async function expectRecovered(ctx: FaultContext, since: number) {
  const api = await until(() => ctx.api.state(), (state) => state.connected, since, SHOW_MS);
  const last = JSON.stringify(api.last);
  expect(api.ms, `API state connected within ${SHOW_MS} ms of the return: ${last}`).not.toBeNull();

  const live = await ctx.live.waitForLatest((state) => state.connected, since, SHOW_MS);
  return { api: api.ms!, live };
}

export interface Expected {
  status: number;
  /** Error codes accepted with this status; none for a 200. */
  codes?: string[];
}

/**
 * Each answer has one of the expected statuses (and codes), a message when it is an error,
 * no stack trace, and came within the command timeout plus a second.
 */
export function expectEnded(answer: Answer, expected: Expected[], timeoutMs: number): void {
  const describe = `${answer.status} ${answer.code ?? ''} ${answer.message ?? ''}`;
  const match = expected.some((e) => e.status === answer.status &&
    (e.codes === undefined || e.codes.includes(answer.code ?? '')));
  expect(match, `unexpected answer: ${describe}`).toBe(true);
  expect(answer.ms).toBeLessThan(timeoutMs + 1_000);
  if (answer.status >= 400) {
    expect(answer.message).toEqual(expect.any(String));
    expect(JSON.stringify(answer.body)).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  }
}

/** The dashboard process that started the run still runs and answers. */
export async function expectDashboardUp(ctx: FaultContext): Promise<void> {
  const pid = inject('relServerPid');
  expect(() => process.kill(pid, 0), 'the dashboard process runs').not.toThrow();
  const answer = await ctx.api.call('GET', '/api/v1/replicators');
  expect(answer.status).toBe(200);
}

/** A short record of an answer for the results. */
export function summarise(what: string, answer: Answer) {
  return { what, status: answer.status, code: answer.code, ms: Math.round(answer.ms) };
}
