/**
 * The dashboard's HTTP API as the reliability tests use it: authenticated calls that record
 * their status, error code and duration, the replicator's state, and the commands the
 * dashboard sent to the replicator as its /metrics counts them.
 */
import { authHeaders } from './auth';

export interface Answer {
  /** 0 when the request got no HTTP answer at all (the server was gone). */
  status: number;
  code: string | null;
  message: string | null;
  body: unknown;
  ms: number;
}

export interface ReplicatorState {
  id: string;
  connected: boolean;
  error: { code: string; message: string; hint: string | null } | null;
}

export const REPLICATOR = 'default';

export class DashboardApi {
  constructor(
    readonly url: string,
    private readonly cookie: string,
  ) {}

  /** GET a path under /api/v1/replicators/default. */
  replicatorGet(path: string): Promise<Answer> {
    return this.call('GET', `/api/v1/replicators/${REPLICATOR}${path}`);
  }

  /** A search of a mask (one page of `limit` users). */
  search(mask: string, limit = 1): Promise<Answer> {
    return this.replicatorGet(`/users?mask=${encodeURIComponent(mask)}&limit=${limit}`);
  }

  user(username: string): Promise<Answer> {
    return this.replicatorGet(`/users/${encodeURIComponent(username)}`);
  }

  replicate(mask: string, priority: 'high' | 'low', full = false): Promise<Answer> {
    const body = JSON.stringify({ mask, priority, full });
    return this.call('POST', `/api/v1/replicators/${REPLICATOR}/replicate`, body);
  }

  /** Any request, with the session's headers added. */
  async call(method: string, path: string, body?: BodyInit, headers: HeadersInit = {}) {
    const started = performance.now();
    const init: RequestInit = {
      method,
      body,
      headers: { ...authHeaders(this.cookie), 'content-type': 'application/json', ...headers },
    };
    try {
      const response = await fetch(`${this.url}${path}`, init);
      return answerOf(response, await response.text(), performance.now() - started);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { status: 0, code: 'no_answer', message, body: null, ms: performance.now() - started };
    }
  }

  /** The default replicator's state as GET /api/v1/replicators says it. */
  async state(): Promise<ReplicatorState> {
    const answer = await this.call('GET', '/api/v1/replicators');
    const body = answer.body as { replicators?: ReplicatorState[] } | null;
    const state = body?.replicators?.find((r) => r.id === REPLICATOR);
    if (state === undefined) throw new Error(`no replicator state: ${answer.status}`);
    return state;
  }

  /** Commands sent to the replicator so far, by command name, from /metrics. */
  async commandCounts(): Promise<Record<string, number>> {
    const response = await fetch(`${this.url}/metrics`, { headers: authHeaders(this.cookie) });
    const counts: Record<string, number> = {};
    const text = await response.text();
    for (const m of text.matchAll(/^dovecot_replicator_commands_total\{(.*)\} (\d+)$/gm)) {
      const command = /command="([^"]+)"/.exec(m[1]!)?.[1] ?? '';
      counts[command] = (counts[command] ?? 0) + Number(m[2]);
    }
    return counts;
  }

  async commandCount(command: string): Promise<number> {
    return (await this.commandCounts())[command] ?? 0;
  }
}

function answerOf(response: Response, text: string, ms: number): Answer {
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as text, which the tests can then complain about.
  }
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
  return {
    status: response.status,
    code: error?.code ?? null,
    message: error?.message ?? null,
    body,
    ms,
  };
}
