/**
 * The load part of `npm run test:reliability`: a dashboard against a real replicator that
 * knows RELIABILITY_LOAD_USERS (100,000) users, with RELIABILITY_LOAD_CLIENTS (200)
 * concurrent API clients (autocannon) on user searches and the overview, and
 * RELIABILITY_LOAD_SUBSCRIBERS (200) socket.io clients subscribed, for
 * RELIABILITY_LOAD_SECONDS (60). Loopback only; it stops by itself. Prints requests per
 * second, p50/p99 latency, errors (must be 0), the replicator's commands per second and the
 * server's CPU and memory, and writes them to load.json in the run's folder. Exits 1 when
 * anything failed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import autocannon from 'autocannon';

import { DashboardApi } from '../tests/reliability/support/api';
import { Dashboard } from '../tests/reliability/support/dashboard';
import { DovecotPair, LOAD_PAIR } from '../tests/reliability/support/pair';
import { runDir } from '../tests/reliability/support/report';
import { Subscribers, type SubscriberCounts } from '../tests/reliability/support/subscribers';

const SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 60);
const USERS = Number(process.env.RELIABILITY_LOAD_USERS ?? 100_000);
const CLIENTS = Number(process.env.RELIABILITY_LOAD_CLIENTS ?? 200);
const SUBSCRIBERS = Number(process.env.RELIABILITY_LOAD_SUBSCRIBERS ?? 200);
const PORT = Number(process.env.RELIABILITY_LOAD_PORT ?? 3114);
const BASE = '/api/v1/replicators/default';

/** What a busy morning asks: the overview, and searches paged and sorted every way. */
const PATHS = [
  `${BASE}/overview`,
  `${BASE}/users?mask=*&limit=100`,
  `${BASE}/users?mask=*&limit=100&offset=50000&sort=lastFullSync&order=desc`,
  `${BASE}/users?mask=*%40load1.example&limit=100&sort=lastSuccessfulSync`,
  `${BASE}/overview`,
  `${BASE}/users?mask=rel00012*&limit=50`,
  `${BASE}/users?mask=*%40load2.example&limit=100&offset=1000&order=desc`,
  `${BASE}/users?mask=rel0004242%40load0.example&limit=1`,
  `${BASE}/overview`,
  `${BASE}/users?mask=*&limit=0`,
  `${BASE}/users?mask=rel009*&limit=100&sort=priority`,
  `${BASE}/dsyncs`,
];

export interface LoadFigures {
  seconds: number;
  users: number;
  clients: number;
  subscribers: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  errors: { non2xx: number; failed: number; timeouts: number };
  subscriberEvents: number;
  subscribersDropped: number;
  subscriberErrors: number;
  replicatorCommandsPerSecond: number;
  replicatorCommands: Record<string, number>;
  server: { cpuPercent: number; rssMbAverage: number; rssMbMax: number };
  held: boolean;
}

async function main(): Promise<void> {
  const pair = new DovecotPair(LOAD_PAIR);
  log(`loading a replicator with ${USERS.toLocaleString('en')} users`);
  const users = await pair.load(USERS);
  const dashboard = await Dashboard.start({ port: PORT, socket: pair.paths().socket,
    logFile: join(runDir(), 'load-server.log') });
  try {
    const figures = await measure(dashboard, users);
    print(figures);
    writeFileSync(join(runDir(), 'load.json'), `${JSON.stringify(figures, null, 2)}\n`);
    process.exitCode = figures.held ? 0 : 1;
  } finally {
    await dashboard.stop();
    await pair.stop();
  }
}

async function measure(dashboard: Dashboard, users: number): Promise<LoadFigures> {
  const api = new DashboardApi(dashboard.url, dashboard.cookie);
  await waitUntilConnected(api);
  log(`${SUBSCRIBERS} socket.io subscribers, then ${CLIENTS} API clients for ${SECONDS} s`);
  const subscribers = await Subscribers.open(dashboard.url, dashboard.cookie, SUBSCRIBERS);
  const before = await api.commandCounts();
  const sampler = new ProcessSampler(dashboard);

  const result = await fire(dashboard);
  const usage = sampler.stop();
  const after = await api.commandCounts();
  const live = subscribers.snapshot;
  subscribers.close();
  return tabulate(result, usage, commandsBetween(before, after), live, users);
}

function fire(dashboard: Dashboard): Promise<autocannon.Result> {
  return autocannon({
    url: dashboard.url,
    connections: CLIENTS,
    duration: SECONDS,
    timeout: 30,
    headers: dashboard.cookie === '' ? {} : { cookie: dashboard.cookie },
    requests: PATHS.map((path) => ({ method: 'GET', path })),
  });
}

function tabulate(
  result: autocannon.Result,
  usage: ProcessUsage,
  commands: Record<string, number>,
  live: SubscriberCounts,
  users: number,
): LoadFigures {
  const sent = Object.values(commands).reduce((sum, n) => sum + n, 0);
  const errors = { non2xx: result.non2xx, failed: result.errors, timeouts: result.timeouts };
  const held = errors.non2xx + errors.failed + errors.timeouts === 0 &&
    live.dropped + live.errors === 0 && live.subscribed === SUBSCRIBERS;
  return {
    seconds: SECONDS, users, clients: CLIENTS, subscribers: live.subscribed,
    requests: result.requests.total,
    requestsPerSecond: round(result.requests.total / result.duration),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    errors,
    subscriberEvents: live.events, subscribersDropped: live.dropped,
    subscriberErrors: live.errors,
    replicatorCommandsPerSecond: round(sent / result.duration), replicatorCommands: commands,
    server: usage, held,
  };
}

interface ProcessUsage {
  cpuPercent: number;
  rssMbAverage: number;
  rssMbMax: number;
}

/** The server's CPU and resident memory, from /proc, once a second. */
class ProcessSampler {
  private readonly rss: number[] = [];
  private readonly cpuAtStart: number;
  private readonly startedAt = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly dashboard: Dashboard) {
    this.cpuAtStart = dashboard.cpuSeconds();
    this.timer = setInterval(() => this.rss.push(dashboard.rssBytes()), 1000);
  }

  stop(): ProcessUsage {
    clearInterval(this.timer);
    this.rss.push(this.dashboard.rssBytes());
    const seconds = (performance.now() - this.startedAt) / 1000;
    const cpu = this.dashboard.cpuSeconds() - this.cpuAtStart;
    const mb = (bytes: number) => round(bytes / 1024 / 1024);
    return {
      cpuPercent: round((100 * cpu) / seconds),
      rssMbAverage: mb(this.rss.reduce((sum, n) => sum + n, 0) / this.rss.length),
      rssMbMax: mb(Math.max(...this.rss)),
    };
  }
}

function commandsBetween(before: Record<string, number>, after: Record<string, number>) {
  const sent: Record<string, number> = {};
  for (const [name, count] of Object.entries(after)) sent[name] = count - (before[name] ?? 0);
  return sent;
}

async function waitUntilConnected(api: DashboardApi): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await api.state()).connected) {
    if (Date.now() > deadline) throw new Error('the dashboard never connected to the replicator');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function print(f: LoadFigures): void {
  const lines = [
    `load: ${f.clients} API clients + ${f.subscribers} socket.io subscribers, ${f.seconds} s, ` +
      `${f.users.toLocaleString('en')} users`,
    `  requests      ${f.requests} (${f.requestsPerSecond}/s)`,
    `  latency       p50 ${f.latencyMs.p50} ms, p99 ${f.latencyMs.p99} ms, ` +
      `max ${f.latencyMs.max} ms`,
    `  errors        ${f.errors.non2xx} non-2xx, ${f.errors.failed} failed, ` +
      `${f.errors.timeouts} timeouts`,
    `  socket.io     ${f.subscriberEvents} events, ${f.subscribersDropped} dropped, ` +
      `${f.subscriberErrors} errors`,
    `  replicator    ${f.replicatorCommandsPerSecond} commands/s ` +
      JSON.stringify(f.replicatorCommands),
    `  server        CPU ${f.server.cpuPercent}%, RSS avg ${f.server.rssMbAverage} MB, ` +
      `max ${f.server.rssMbMax} MB`,
    `  held          ${f.held ? 'yes' : 'NO'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function log(message: string): void {
  process.stderr.write(`[reliability-load] ${message}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[reliability-load] ${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
