// Runs the test lanes, one after another, and ends each with one summary line:
//   embedded          every vitest project on the embedded Temporal server
//   temporal          the workflows and integration suites again on Temporal's own server (dev mode)
//   java-test-server  the same on Temporal's Java test server (the reference for time skipping)
// `node scripts/run-tests.mjs` runs all three; `--conformance` only the last two. Other arguments
// go to vitest (e.g. a file filter). Browser tests need Debian's Chromium; without it they are
// skipped (and we say so), everything else still runs. `.ci/run` installs Chromium.
import { execSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureServer } from './temporal-servers.mjs';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`usage: npm test [-- <vitest arguments>]   or   npm run test:conformance

Runs the test lanes one after another, each ending with a summary line:
  embedded          every vitest project on the embedded Temporal server
  temporal          the workflows and integration suites on Temporal's own server (dev mode)
  java-test-server  the same on Temporal's Java test server

options:
  --conformance   only the temporal and java-test-server lanes
  --help, -h      show this help and exit
Other arguments go to vitest (e.g. a file filter). Browser tests need Chromium (CHROMIUM_PATH).`);
  process.exit(0);
}
const conformanceOnly = args.includes('--conformance');
const vitestArgs = args.filter((a) => a !== '--conformance');

const lanes = [
  ...(conformanceOnly ? [] : [{ name: 'embedded', projects: [] }]),
  { name: 'temporal', projects: ['workflows', 'integration'] },
  { name: 'java-test-server', projects: ['workflows', 'integration'] },
];

function findChromium() {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execSync(`command -v ${name}`, { encoding: 'utf8' }).trim();
    } catch {
      /* not found */
    }
  }
  return '';
}

const chromium = process.env.CHROMIUM_PATH || findChromium();
const baseEnv = { ...process.env };
if (chromium) baseEnv.CHROMIUM_PATH = chromium;
else if (!conformanceOnly)
  console.log(
    '[huitou] Chromium not found: browser (e2e) tests will be skipped. Install it with `apt-get install -y chromium`.',
  );

const reportDir = join('.cache', 'test-lanes');
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });

const summaries = [];
for (const lane of lanes) {
  summaries.push(await runLane(lane));
  console.log(summaries.at(-1).line);
}
console.log('');
for (const { line, failures } of summaries) {
  console.log(line);
  // The failures again at the very end, where a CI log's tail is read.
  for (const failure of failures) console.log(`  ✗ ${failure}`);
}
process.exit(summaries.every((s) => s.ok) ? 0 : 1);

async function runLane({ name, projects }) {
  console.log(`\n[huitou] lane ${name}${projects.length > 0 ? ` (${projects.join(', ')})` : ''}`);
  if (name !== 'embedded') {
    try {
      await ensureServer(name);
    } catch (error) {
      console.error(`[temporal-servers] ${error instanceof Error ? error.message : String(error)}`);
      return {
        ok: false,
        line: `lane ${name}: 0 passed, 1 failed, 0 skipped (the server could not be built)`,
        failures: [],
      };
    }
  }
  const report = join(reportDir, `${name}.json`);
  const result = spawnSync(
    'npx',
    [
      'vitest',
      'run',
      ...projects.flatMap((p) => ['--project', p]),
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...vitestArgs,
    ],
    { stdio: 'inherit', env: { ...baseEnv, HUITOU_TEST_TEMPORAL: name } },
  );
  const counts = readCounts(report);
  const ok = result.status === 0 && counts !== undefined && counts.failed === 0;
  const exit = result.status ?? result.signal;
  const figures = counts
    ? `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped` +
      // Vitest also fails a run whose tests all passed when an error escaped them (see "Unhandled Errors" above).
      (result.status === 0 ? '' : ` — but vitest exited ${exit} (an unhandled error or a crashed worker; see above)`)
    : `no report (vitest exited ${exit})`;
  return { ok, line: `lane ${name}: ${figures}`, failures: counts?.failures ?? [] };
}

/**
 * Test counts from vitest's JSON report. A file that failed with no failed test of its own (it did
 * not load, or a beforeAll/afterAll hook failed and its tests were skipped) counts as one failure.
 */
function readCounts(file) {
  const firstLine = (text) => (text ?? '').split('\n')[0].slice(0, 300);
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    const brokenFiles = report.testResults.filter(
      (f) => f.status === 'failed' && !f.assertionResults.some((t) => t.status === 'failed'),
    ).length;
    const failures = report.testResults.flatMap((f) => {
      const file = relative(process.cwd(), f.name);
      const tests = f.assertionResults.filter((t) => t.status === 'failed');
      if (f.status === 'failed' && tests.length === 0) return [`${file}: ${firstLine(f.message)}`];
      return tests.map((t) => `${file} > ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    });
    return {
      failures,
      passed: report.numPassedTests,
      failed: report.numFailedTests + brokenFiles,
      skipped: report.numPendingTests + report.numTodoTests,
    };
  } catch {
    return undefined;
  }
}
