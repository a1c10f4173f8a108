// Adds up the test reports of one `npm test` run into the closing line CI reads:
// "tests: N passed, N failed". A step that failed without a failed test in its report (no
// report, or a suite that failed to load) counts as one failure, so the line never says 0.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [reports, ...failedSteps] = process.argv.slice(2);

function vitestCounts(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: report.numPassedTests, failed: report.numFailedTests };
}

function playwrightCounts(file) {
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: stats.expected, failed: stats.unexpected + stats.flaky };
}

const readers = { 'unit.json': vitestCounts, 'integration.json': vitestCounts,
  'stores.json': vitestCounts, 'cluster.json': vitestCounts,
  'e2e.json': playwrightCounts, 'reliability.json': vitestCounts };
let passed = 0;
let failed = 0;
const failedInReport = {};

for (const [name, read] of Object.entries(readers)) {
  const file = join(reports, name);
  if (!existsSync(file)) continue;
  const counts = read(file);
  passed += counts.passed;
  failed += counts.failed;
  failedInReport[name.replace(/\.json$/, '')] = counts.failed;
}

failed += failedSteps.filter((step) => !(failedInReport[step] > 0)).length;
if (failedSteps.length > 0) console.error(`failed steps: ${failedSteps.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failedSteps.length > 0 || failed > 0 ? 1 : 0);
