// Runs every vitest project. Browser tests need Debian's Chromium; without it they are skipped
// (and we say so), everything else still runs. `.ci/run` installs Chromium so CI runs them all.
import { execSync, spawnSync } from 'node:child_process';

function findChromium() {
  for (const name of ['chromium', 'chromium-browser']) {
    try { return execSync(`command -v ${name}`, { encoding: 'utf8' }).trim(); } catch { /* not found */ }
  }
  return '';
}

const chromium = process.env.CHROMIUM_PATH || findChromium();
const env = { ...process.env };
if (chromium) env.CHROMIUM_PATH = chromium;
else console.log('[huitou] Chromium not found: browser (e2e) tests will be skipped. Install it with `apt-get install -y chromium`.');

const args = ['vitest', 'run', ...process.argv.slice(2)];
const result = spawnSync('npx', args, { stdio: 'inherit', env });
process.exit(result.status ?? 1);
