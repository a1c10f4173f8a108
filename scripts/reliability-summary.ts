/**
 * The one summary of a reliability run (scripts/reliability.sh): faults survived, inputs
 * tried, load held, anything lost, the hardening checks and the machine it ran on. Reads
 * the run's folder (records.jsonl, the vitest reports, load.json), prints the summary and
 * writes it there as summary.md and summary.json; with --publish also as
 * tests/reliability/results/latest.{md,json}. Exits 1 unless everything held.
 *
 * Usage: reliability-summary.ts RUN_DIR [--publish] -- [FAILED_STEP...]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { LoadFigures } from './reliability-load';
import type {
  FaultRecord,
  HardeningRecord,
  InputsRecord,
  RunRecord,
} from '../tests/reliability/support/report';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'tests/reliability/results');

interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}

export interface Summary {
  at: string;
  machine: Record<string, string>;
  outcome: 'held' | 'failed';
  faults: { survived: number; total: number; records: FaultRecord[] };
  inputs: { tried: number; record: InputsRecord | null };
  hardening: HardeningRecord[];
  load: LoadFigures | null;
  lost: string[];
  tests: Record<string, TestCounts>;
  failedSteps: string[];
}

function main(): void {
  const [runDir, ...rest] = process.argv.slice(2);
  if (runDir === undefined) throw new Error('usage: reliability-summary.ts RUN_DIR [--publish]');
  const dashes = rest.indexOf('--');
  const options = dashes < 0 ? rest : rest.slice(0, dashes);
  const failedSteps = dashes < 0 ? [] : rest.slice(dashes + 1).filter(Boolean);
  const publish = options.includes('--publish');

  const summary = summarise(runDir, failedSteps);
  const markdown = render(summary, runDir);
  process.stdout.write(`${markdown}\n`);
  writeBoth(runDir, 'summary', summary, markdown);
  if (publish) writeBoth(RESULTS, 'latest', summary, markdown);
  writeTestReport(summary);
  process.exitCode = summary.outcome === 'held' ? 0 : 1;
}

function summarise(runDir: string, failedSteps: string[]): Summary {
  const records = readRecords(runDir);
  const faults = records.filter((r): r is FaultRecord => r.kind === 'fault');
  const tests = { hostile: testCounts(runDir, 'hostile'), faults: testCounts(runDir, 'faults'),
    scale: testCounts(runDir, 'scale') };
  const load = readJson<LoadFigures>(join(runDir, 'load.json'));
  const inputs = records.find((r): r is InputsRecord => r.kind === 'inputs') ?? null;
  const lost = lostThings(faults, inputs);
  const failed = failedSteps.length > 0 || lost.length > 0 || load?.held !== true ||
    Object.values(tests).some((t) => t.failed > 0 || t.passed === 0);
  return {
    at: new Date().toISOString(),
    machine: machine(runDir),
    outcome: failed ? 'failed' : 'held',
    faults: { survived: tests.faults.passed, total: tests.faults.passed + tests.faults.failed,
      records: faults },
    inputs: { tried: inputs?.tried ?? 0, record: inputs },
    hardening: records.filter((r): r is HardeningRecord => r.kind === 'hardening'),
    load,
    lost,
    tests,
    failedSteps,
  };
}

/** Everything that should have survived a fault or an input and did not. */
function lostThings(faults: FaultRecord[], inputs: InputsRecord | null): string[] {
  const lost: string[] = [];
  for (const fault of faults) {
    if (fault.lost > 0) lost.push(`${fault.fault}: ${fault.lost} lost`);
    if (fault.replicate !== undefined && fault.replicate.sent > fault.replicate.asked) {
      lost.push(`${fault.fault}: a REPLICATE sent ${fault.replicate.sent} times`);
    }
  }
  if (inputs !== null && inputs.usersAfter !== inputs.usersBefore) {
    lost.push(`searches changed the user count: ${inputs.usersBefore} -> ${inputs.usersAfter}`);
  }
  if (inputs !== null && inputs.sentCommands !== inputs.expectedCommands) {
    lost.push(`inputs: ${inputs.sentCommands} commands sent for ${inputs.expectedCommands}`);
  }
  return lost;
}

function readRecords(runDir: string): RunRecord[] {
  const file = join(runDir, 'records.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean)
    .map((line) => JSON.parse(line) as RunRecord);
}

interface VitestTest {
  fullName: string;
  status: string;
  failureMessages: string[];
}

interface VitestReport {
  testResults: { assertionResults: VitestTest[] }[];
}

function testCounts(runDir: string, project: string): TestCounts {
  const report = readJson<VitestReport>(join(runDir, `${project}.json`));
  const counts: TestCounts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const test of report?.testResults.flatMap((file) => file.assertionResults) ?? []) {
    if (test.status === 'passed') counts.passed++;
    else if (test.status === 'failed') {
      counts.failed++;
      counts.failures.push(`${test.fullName}: ${firstLine(test.failureMessages[0] ?? '')}`);
    } else counts.skipped++;
  }
  return counts;
}

function machine(runDir: string): Record<string, string> {
  const cpus = os.cpus();
  return {
    host: os.hostname(),
    cpu: `${cpus.length} x ${cpus[0]?.model ?? 'unknown'}`,
    memory: `${Math.round(os.totalmem() / 1024 ** 3)} GiB`,
    os: `${osName()} (kernel ${os.release()})`,
    node: process.version,
    dovecot: run('dovecot', ['--version']),
    commit: `${run('git', ['rev-parse', '--short', 'HEAD'])}` +
      `${run('git', ['status', '--porcelain']) === '' ? '' : ' + uncommitted changes'}`,
    'load average (start / end)': `${loadavg(runDir, 'start')} / ${loadavg(runDir, 'end')}`,
  };
}

function osName(): string {
  const release = readText('/etc/os-release');
  return /^PRETTY_NAME="?([^"\n]+)"?/m.exec(release)?.[1] ?? os.type();
}

function loadavg(runDir: string, when: string): string {
  return readText(join(runDir, `loadavg-${when}`)).split(' ').slice(0, 3).join(' ') || '?';
}

function render(s: Summary, runDir: string): string {
  const verdict = s.outcome === 'held' ? 'everything held' : 'SOMETHING FAILED';
  return [
    `# Reliability run: ${verdict}`,
    '',
    `${s.at}, run folder \`${relative(ROOT, runDir)}\` (logs there, not kept in git).`,
    '',
    `- **faults survived**: ${s.faults.survived} of ${s.faults.total}`,
    `- **inputs tried**: ${s.inputs.tried.toLocaleString('en')}`,
    `- **a million users read, replicator alive**: ${verdictOf(s.tests.scale)}`,
    `- **load held**: ${s.load === null ? 'not run' : s.load.held ? 'yes' : 'NO'}`,
    `- **anything lost**: ${s.lost.length === 0 ? 'nothing' : s.lost.join('; ')}`,
    ...s.failedSteps.map((step) => `- **step failed**: ${step}`),
    ...Object.entries(s.tests)
      .flatMap(([name, t]) => t.failures.map((f) => `- **${name} failed**: ${f}`)),
    '',
    '## Machine',
    '',
    table(['', ''], Object.entries(s.machine)),
    '',
    ...renderFaults(s.faults.records),
    ...renderInputs(s.inputs.record),
    ...renderHardening(s.hardening),
    ...renderLoad(s.load),
    '## Tests',
    '',
    table(['project', 'passed', 'failed', 'skipped'], Object.entries(s.tests)
      .map(([name, t]) => [name, String(t.passed), String(t.failed), String(t.skipped)])),
    '',
  ].join('\n');
}

function verdictOf(tests: TestCounts | undefined): string {
  if (tests === undefined || tests.passed + tests.failed === 0) return 'not run';
  return tests.failed === 0 ? 'yes' : 'NO';
}

function renderFaults(records: FaultRecord[]): string[] {
  const ms = (value: number | null | undefined) => (value == null ? '-' : `${Math.round(value)}`);
  const rows = records.map((r) => [
    r.fault,
    r.requests.map((q) => `${q.what}: ${q.status}${q.code === null ? '' : ` ${q.code}`} ` +
      `(${q.ms} ms)`).join('<br>') || '-',
    `${ms(r.shownMs.api)} / ${ms(r.shownMs.live)}`,
    `${ms(r.recoveredMs.api)} / ${ms(r.recoveredMs.live)}`,
    r.replicate === undefined ? '-'
      : `${r.replicate.asked} asked, ${r.replicate.sent} sent, ${r.replicate.outcome ?? 'done'}`,
    String(r.lost),
  ]);
  const notes = records.filter((r) => r.notes !== undefined).map((r) => `- ${r.fault}: ${r.notes}`);
  return ['## Faults', '',
    'Times in ms: shown = from the fault to the state on the API / on socket.io (bound: 2000); ' +
    'recovered = from the replicator\'s return to `connected` (bound: 2000).', '',
    table(['fault', 'requests during the fault', 'shown', 'recovered', 'REPLICATE', 'lost'], rows),
    '', ...notes, ''];
}

function renderInputs(r: InputsRecord | null): string[] {
  if (r === null) return ['## Hostile inputs', '', 'not run', ''];
  return ['## Hostile inputs', '', table(['', ''], [
    ['tried', `${r.tried} (${Object.entries(r.byRoute).map(([k, v]) => `${k} ${v}`).join(', ')})`],
    ['refused before the replicator', String(r.refused)],
    ['replicator commands expected / sent', `${r.expectedCommands} / ${r.sentCommands}`],
    ['replicator connections lost', String(r.disconnects)],
    ['replicator users before / after', `${r.usersBefore} / ${r.usersAfter}`],
    ['time', `${r.seconds} s`],
  ]), ''];
}

function renderHardening(records: HardeningRecord[]): string[] {
  const rows = records.map((r) => [r.check, r.ok ? 'ok' : 'OPEN', r.detail.replace(/\|/g, '\\|')]);
  return ['## HTTP hardening', '', table(['check', '', 'detail'], rows), ''];
}

function renderLoad(f: LoadFigures | null): string[] {
  if (f === null) return ['## Load', '', 'not run', ''];
  return ['## Load', '', table(['', ''], [
    ['setup', `${f.clients} API clients (autocannon) + ${f.subscribers} socket.io subscribers, ` +
      `${f.seconds} s, ${f.users.toLocaleString('en')} users`],
    ['requests', `${f.requests} (${f.requestsPerSecond}/s)`],
    ['latency', `p50 ${f.latencyMs.p50} ms, p99 ${f.latencyMs.p99} ms, max ${f.latencyMs.max} ms`],
    ['errors', `${f.errors.non2xx} non-2xx, ${f.errors.failed} failed, ` +
      `${f.errors.timeouts} timeouts`],
    ['socket.io', `${f.subscriberEvents} events, ${f.subscribersDropped} dropped, ` +
      `${f.subscriberErrors} errors`],
    ['replicator', `${f.replicatorCommandsPerSecond} commands/s (${Object.entries(
      f.replicatorCommands).map(([k, v]) => `${k} ${v}`).join(', ')})`],
    ['server', `CPU ${f.server.cpuPercent}% of one core, RSS avg ${f.server.rssMbAverage} MB, ` +
      `max ${f.server.rssMbMax} MB`],
    ['held', f.held ? 'yes' : 'NO'],
  ]), ''];
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** For scripts/test-all.sh: the run as one vitest-style report in RELIABILITY_REPORTS_DIR. */
function writeTestReport(s: Summary): void {
  const dir = process.env.RELIABILITY_REPORTS_DIR;
  if (dir === undefined) return;
  const tests = Object.values(s.tests);
  const loadOk = s.load?.held === true ? 1 : 0;
  // A step that failed without a failed test to show for it (a setup that broke) counts once.
  const unexplained = s.failedSteps.filter((step) => step !== 'load' &&
    (s.tests[step]?.failed ?? 0) === 0);
  const report = {
    numPassedTests: tests.reduce((sum, t) => sum + t.passed, 0) + loadOk,
    numFailedTests: tests.reduce((sum, t) => sum + t.failed, 0) + (1 - loadOk) +
      unexplained.length,
  };
  writeFileSync(join(dir, 'reliability.json'), `${JSON.stringify(report)}\n`);
}

function writeBoth(dir: string, name: string, summary: Summary, markdown: string): void {
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(dir, `${name}.md`), `${markdown}\n`);
}

function readJson<T>(file: string): T | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : null;
}

function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 200);
}

main();
