/**
 * `npm run bench`: the dashboard against `doveadm` and a raw socket read, on one real
 * replicator loaded with N users (default 1,000,000), in one run. Prints one table and
 * writes it as JSON under bench/results/.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { WorkerUserReader } from '../server/live/user-reading';
import { measureScrolling, type ScrollFigures } from './browser-scroll';
import { ReplicatorClient, parseAddress } from '../server/replicator/client';
import { SocketTransport } from '../server/replicator/transport';
import {
  loadScaleReplicator,
  logSize,
  outOfMemoryLines,
  restartScaleReplicator,
  stopScaleReplicator,
  type ScaleReplicator,
} from './scale-replicator';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USERS = Number(process.env.BENCH_USERS ?? process.argv[2] ?? 1_000_000);
const PORT = Number(process.env.BENCH_PORT ?? 3130);
const RUNS = 3;

interface Figure {
  what: string;
  ms?: number;
  value?: string;
  ratio?: number;
}

async function main(): Promise<void> {
  ensureBuild();
  log(`loading a replicator with ${USERS.toLocaleString('en')} users`);
  const replicator = await loadScaleReplicator(USERS);

  // As the server does at start: the reader below is then measured warm, as it serves.
  const reader = new WorkerUserReader();
  await reader.prepare();
  const raw = await phase('raw read', replicator,
    () => measure(RUNS, () => rawStatusRead(replicator.socket)));
  await restartScaleReplicator(replicator);
  const parse = await phase('dashboard client', replicator,
    () => measure(RUNS, () => clientRead(replicator.socket, reader)));
  reader.close();
  await restartScaleReplicator(replicator);
  const api = await phase('API', replicator, () => measureApi(replicator));
  // doveadm last: as a slow reader it may kill the replicator, which then reloads.
  const beforeDoveadm = logSize(replicator.logFile);
  const doveadm = measureDoveadm(replicator);
  const doveadms = await outOfMemoryLines(replicator.logFile, beforeDoveadm);
  stopScaleReplicator();

  const deaths = { raw: raw.deaths, dashboard: parse.deaths + api.deaths };
  const figures = tabulate(raw.result, parse.result, api.result,
    { ...doveadm, deaths: doveadms.length }, deaths);
  print(figures, replicator);
  save(figures, replicator, api.result.warm);
}

function ensureBuild(): void {
  try {
    readFileSync(join(ROOT, '.next/BUILD_ID'));
  } catch {
    log('no production build: running next build');
    execFileSync('npx', ['next', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
}

/**
 * Runs one phase, counting the replicator's deaths by "Out of memory" meanwhile. A phase cut
 * short by one is run again after a restart (twice at most): the death is counted and
 * printed, and the other figures are still measured.
 */
async function phase<T>(name: string, replicator: ScaleReplicator, run: () => Promise<T>) {
  let deaths = 0;
  for (let attempt = 1; ; attempt++) {
    const from = logSize(replicator.logFile);
    try {
      const result = await run();
      deaths += (await outOfMemoryLines(replicator.logFile, from)).length;
      return { result, deaths };
    } catch (error) {
      deaths += (await outOfMemoryLines(replicator.logFile, from)).length;
      if (attempt === 3) throw error;
      log(`${name}: ${error instanceof Error ? error.message : String(error)}; again`);
      await restartScaleReplicator(replicator);
    }
  }
}

/** The median of `runs` timings, and the last result. */
async function measure<T>(runs: number, run: () => Promise<T>) {
  const times: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    result = await run();
    times.push(performance.now() - started);
  }
  return { ms: median(times), result: result! };
}

/** Reads the whole `STATUS\t*` answer as fast as the socket delivers it, parsing nothing. */
function rawStatusRead(socket: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let tail = '';
    const connection = net.createConnection({ path: socket });
    connection.on('connect', () =>
      connection.write('VERSION\treplicator-doveadm-client\t1\t0\nSTATUS\t*\n'),
    );
    connection.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      tail = (tail + chunk.toString('latin1', Math.max(0, chunk.length - 2))).slice(-2);
      if (tail === '\n\n') {
        connection.destroy();
        resolve(bytes);
      }
    });
    connection.on('error', reject);
    // A replicator that dies of "Out of memory" mid-answer closes it: say so, don't hang.
    connection.on('close', () => reject(new Error('STATUS answer cut short: see the log')));
  });
}

/** The dashboard's own client and user reader, in this process: parse throughput. */
async function clientRead(socket: string, reader: WorkerUserReader): Promise<number> {
  const transport = new SocketTransport(
    new ReplicatorClient({ id: 'bench', address: parseAddress(socket) }),
  );
  const { users } = await reader.read(transport, '*');
  transport.close();
  users.retire();
  return users.length;
}

const WARM_QUERIES = [
  'offset=100', 'offset=5000', 'offset=500000', 'offset=999800',
  'sort=lastFastSync&order=desc', 'sort=lastFullSync', 'sort=lastSuccessfulSync',
  'sort=priority&order=desc', 'sort=failed&order=desc', 'sort=username&order=desc',
  'failed=true', 'failed=false&offset=1000', 'priority=none', 'staleSeconds=86400',
  'staleSeconds=86400&sort=lastSuccessfulSync', 'failed=true&sort=lastFastSync&order=desc',
];

async function measureApi(replicator: ScaleReplicator) {
  const server = startServer(replicator.socket);
  try {
    await waitForServer();
    // As the pages ask: with the session cookie. Basic auth verifies the password (argon2id,
    // 19 MiB) on every request, which a script pays for each call; measured apart below.
    const session = await signIn();
    // The users route's first call in a process loads its code; a server that has served a
    // while has done that, so `cold` is the first call for the mask, not for the process.
    const routeFirst = await timeGet('mask=bench-matches-nobody&limit=1', session);
    const cold = await timeGet('mask=*&limit=100', session);
    const warm = await warmSeries(session);
    const warmBasic = await warmSeries(basicAuth());
    const floor = await floorSeries(session);
    const rssBytes = residentBytes(server.pid!);
    const url = `http://127.0.0.1:${PORT}`;
    const scrolling = await measureScrolling({ url, account: ACCOUNT });
    return { routeFirst, cold, warm, warmBasic, floor, rssBytes, scrolling };
  } finally {
    server.kill('SIGTERM');
  }
}

/** The bench's own viewer account, in a data directory of its own. */
const DATA_DIR = mkdtempSync(join(os.tmpdir(), 'replicator-bench-'));
const ACCOUNT = { name: 'bench', password: randomBytes(18).toString('base64url') };

function startServer(socket: string): ChildProcess {
  execFileSync(process.execPath, ['--import', 'tsx', 'server/auth/cli.ts', 'add', ACCOUNT.name,
    '--role', 'viewer'], {
    cwd: ROOT, env: { ...process.env, DATA_DIR }, input: ACCOUNT.password,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  return spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(PORT),
      REPLICATOR_SOCKET: socket, USERS_KEEP_MS: '600000', LOG_LEVEL: 'warn', DATA_DIR,
      // As `npm start` and the demo run the server (see "Memory" in the README).
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
      // Its `STATUS *` 2 s after start would make the first call below warm, or share its read.
      STALE_REFRESH_MS: '0',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** Three rounds of the warm queries, each time in ms. */
async function warmSeries(headers: Record<string, string>): Promise<number[]> {
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const query of WARM_QUERIES) {
      times.push(await timeGet(`mask=*&limit=100&${query}`, headers));
    }
  }
  return times;
}

/**
 * The same number of the cheapest API request (the replicator list, from memory): what
 * Next, the session check and the machine's load cost any answer, for reading the rest.
 */
async function floorSeries(headers: Record<string, string>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < 3 * WARM_QUERIES.length; i++) {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${PORT}/api/v1/replicators`, { headers });
    await response.json();
    times.push(performance.now() - started);
  }
  return times;
}

/** Signs in as the pages do; the session cookie as a request header. */
async function signIn(): Promise<Record<string, string>> {
  const response = await fetch(`http://127.0.0.1:${PORT}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${PORT}` },
    body: JSON.stringify(ACCOUNT),
  });
  if (!response.ok) throw new Error(`sign-in: HTTP ${response.status}`);
  const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
  return { cookie: cookies.join('; ') };
}

function basicAuth(): Record<string, string> {
  const credentials = `${ACCOUNT.name}:${ACCOUNT.password}`;
  return { Authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

async function waitForServer(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const url = `http://127.0.0.1:${PORT}/api/v1/replicators`;
    const up = await fetch(url, { headers: basicAuth() }).then((r) => r.ok, () => false);
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the dashboard did not start');
}

async function timeGet(query: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const url = `http://127.0.0.1:${PORT}/api/v1/replicators/default/users?${query}`;
  const response = await fetch(url, { headers });
  await response.json();
  if (!response.ok) throw new Error(`${query}: HTTP ${response.status}`);
  return performance.now() - started;
}

function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** `doveadm replicator status '*'`, its output thrown away; it may kill the replicator. */
function measureDoveadm(replicator: ScaleReplicator): { ms: number; ok: boolean } {
  const started = performance.now();
  try {
    execFileSync('doveadm', ['-c', replicator.conf, 'replicator', 'status', '*'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return { ms: performance.now() - started, ok: true };
  } catch {
    return { ms: performance.now() - started, ok: false };
  }
}

type Measured = Awaited<ReturnType<typeof measureApi>>;

function tabulate(
  raw: { ms: number; result: number },
  parse: { ms: number; result: number },
  api: Measured,
  doveadm: { ms: number; ok: boolean; deaths: number },
  deaths: { raw: number; dashboard: number },
): Figure[] {
  const ratio = (ms: number) => ms / raw.ms;
  const megabytes = raw.result / 1e6;
  const warm = [...api.warm].sort((a, b) => a - b);
  const warmBasic = [...api.warmBasic].sort((a, b) => a - b);
  return [
    { what: 'raw socket read of STATUS\\t* (median)', ms: raw.ms, ratio: 1,
      value: `${megabytes.toFixed(1)} MB` },
    { what: "doveadm replicator status '*'", ms: doveadm.ms, ratio: ratio(doveadm.ms),
      value: `${doveadm.ok ? 'ok' : 'failed'}; replicator deaths: ${doveadm.deaths}` },
    { what: 'dashboard client, read and parse into a kept table (median)', ms: parse.ms,
      ratio: ratio(parse.ms), value: `${(megabytes / (parse.ms / 1000)).toFixed(0)} MB/s` },
    { what: 'API users route, first call in the process (a mask matching nobody)',
      ms: api.routeFirst, value: 'loads the route; not counted in the cold call below' },
    { what: 'API users?mask=*&limit=100, first call for the mask (cold, session cookie)',
      ms: api.cold, ratio: ratio(api.cold) },
    { what: `API warm page/sort/filter, median of ${warm.length}`, ms: median(warm),
      value: `session cookie; p90 ${percentile(warm, 0.9).toFixed(1)} ms, ` +
        `max ${warm.at(-1)!.toFixed(0)} ms` },
    { what: `API warm, the same ${warmBasic.length} with Basic auth`, ms: median(warmBasic),
      value: `argon2id per request; p90 ${percentile(warmBasic, 0.9).toFixed(1)} ms, ` +
        `max ${warmBasic.at(-1)!.toFixed(0)} ms` },
    { what: `API floor: GET /api/v1/replicators, median of ${api.floor.length}`,
      ms: median(api.floor), value: 'session cookie; no user data at all' },
    scrollFigure(api.scrolling),
    { what: 'server RSS with the result kept',
      value: `${(api.rssBytes / 2 ** 20).toFixed(0)} MiB` },
    { what: 'replicator deaths by "Out of memory" while the dashboard read',
      value: `${deaths.dashboard} (client and API phases; while the raw reads: ${deaths.raw})` },
    { what: 'load average at the end (1 min)', value: os.loadavg()[0]!.toFixed(2) },
  ];
}

function scrollFigure(scrolling: ScrollFigures): Figure {
  const { scrollLongestMs, scrollLongTasks, loadLongestMs, rowsShown } = scrolling;
  return {
    what: 'Chromium: longest task while jumping and wheel-scrolling the table (0: none >= 50)',
    ms: scrollLongestMs,
    value: `${scrollLongTasks} long tasks; longest while the page loaded ${
      loadLongestMs.toFixed(0)} ms; last seen "${rowsShown}"`,
  };
}

function print(figures: Figure[], replicator: ScaleReplicator): void {
  const lines = [
    `users known to the replicator: ${replicator.users.toLocaleString('en')}; ${machine()}`,
    '| measurement | ms | ratio to raw read | figure |',
    '| --- | ---: | ---: | --- |',
    ...figures.map((f) => {
      const cells = [f.what, f.ms?.toFixed(0) ?? '', f.ratio?.toFixed(2) ?? '', f.value ?? ''];
      return `| ${cells.join(' | ')} |`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Each warm query's three times (session cookie), for the JSON only. */
function warmByQuery(warm: number[]): Record<string, number[]> {
  return Object.fromEntries(WARM_QUERIES.map((query, i) => [query,
    [0, 1, 2].map((round) => Math.round(warm[round * WARM_QUERIES.length + i]!))]));
}

function save(figures: Figure[], replicator: ScaleReplicator, warm: number[]): void {
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const at = new Date().toISOString();
  const file = join(dir, `${at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ at, machine: machine(), users: replicator.users,
    figures, warmByQuery: warmByQuery(warm) }, null, 2)}\n`);
  log(`written: ${file}`);
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `Node ${process.version}, ${os.type()} ${os.release()}`;
}

function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 0.5);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

main().catch((error: unknown) => {
  log(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exit(1);
});
