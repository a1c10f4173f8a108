/**
 * A browser's live view, without the browser: a socket.io client subscribed to the default
 * replicator that keeps every `replicator:state` event with the time it arrived, so a test
 * can wait for the state a page would show and say how long it took.
 */
import { io, type Socket } from 'socket.io-client';

import { REPLICATOR, type ReplicatorState } from './api';
import { authHeaders } from './auth';

export interface SeenState {
  /** performance.now() when the event arrived. */
  at: number;
  connected: boolean;
  code: string | null;
}

export class LiveWatcher {
  readonly seen: SeenState[] = [];
  private waiters = new Set<() => void>();

  private constructor(private readonly socket: Socket) {
    socket.on('replicator:state', (state: Omit<ReplicatorState, 'id'>) => {
      this.seen.push({ at: performance.now(), connected: state.connected,
        code: state.error?.code ?? null });
      for (const wake of this.waiters) wake();
    });
  }

  /** Connects and subscribes; resolves once the server acknowledged the subscription. */
  static async open(url: string, cookie: string): Promise<LiveWatcher> {
    const socket = io(url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: authHeaders(cookie),
    });
    const watcher = new LiveWatcher(socket);
    const ack = await socket.timeout(10_000).emitWithAck('subscribe', { replicator: REPLICATOR });
    if (ack?.ok !== true) throw new Error(`subscribe refused: ${JSON.stringify(ack)}`);
    return watcher;
  }

  /** True while the socket.io connection is open. */
  get connected(): boolean {
    return this.socket.connected;
  }

  /**
   * Waits for a state event after `since` that matches; resolves with the ms from `since`
   * to its arrival, rejects after `timeoutMs` (counted from now).
   */
  waitFor(match: (state: SeenState) => boolean, since: number, timeoutMs: number) {
    return new Promise<number>((resolve, reject) => {
      const check = () => {
        const hit = this.seen.find((state) => state.at >= since && match(state));
        if (hit === undefined) return;
        done();
        resolve(hit.at - since);
      };
      const timer = setTimeout(() => {
        done();
        const seen = this.describe();
        reject(new Error(`no matching replicator:state within ${timeoutMs} ms: ${seen}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /**
   * Waits until the latest state (whenever it came) matches: what a page shows now. Resolves
   * with the ms from `since` to that state's arrival, 0 if it came before `since`.
   */
  waitForLatest(match: (state: SeenState) => boolean, since: number, timeoutMs: number) {
    const latest = this.seen.at(-1);
    if (latest !== undefined && match(latest)) {
      return Promise.resolve(Math.max(0, latest.at - since));
    }
    const latestMatches = (state: SeenState) => state === this.seen.at(-1) && match(state);
    return this.waitFor(latestMatches, since, timeoutMs);
  }

  close(): void {
    this.socket.close();
  }

  private describe(): string {
    return JSON.stringify(this.seen.slice(-5).map(({ connected, code }) => ({ connected, code })));
  }
}
