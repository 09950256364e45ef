// Which Temporal server the suites run on: HUITOU_TEST_TEMPORAL = embedded (default) | temporal |
// java-test-server. The last two are Temporal's own servers, built by scripts/temporal-servers.mjs
// and started here, one fresh process per test environment (a fresh clock and history each).
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { createTestEnv, timeSkippingControl } from '@huitou/engine/temporal/test-env';
import type { TestEnv, TestEnvOptions, TestServer } from '@huitou/engine/temporal/test-env';

import { lane } from './lanes.ts';
import type { Lane } from './lanes.ts';

export { lane };

/** The reason a suite that lets days of server time pass does not run on Temporal's dev server. */
const NEEDS_TIME_SKIPPING =
  "it lets minutes to months of server time pass, and Temporal's dev server has no time skipping";

/**
 * Whether a suite runs on this lane: `reasons` names the lanes it does not apply to, and why (the
 * reason is printed, so a skip in a lane's summary is never silent). Use with describe.runIf.
 */
export function runsOnLane(reasons: Partial<Record<Lane, string>>): boolean {
  const reason = reasons[lane()];
  if (reason) console.log(`[lane ${lane()}] skipped: ${reason}`);
  return reason === undefined;
}

/** For describe.runIf / it.runIf: a suite that lets server time pass runs on the lanes that skip time. */
export const onTimeSkippingLane = (): boolean => runsOnLane({ temporal: NEEDS_TIME_SKIPPING });

/** A test environment on this lane's server. */
export async function createLaneTestEnv(options: Omit<TestEnvOptions, 'server'> = {}): Promise<TestEnv> {
  const kind = lane();
  if (kind === 'embedded') return createTestEnv(options);
  return createTestEnv({ ...options, server: await startReferenceServer(kind) });
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Starts one of Temporal's own servers (building it first if the cache is cold). */
export async function startReferenceServer(kind: Exclude<Lane, 'embedded'>): Promise<TestServer> {
  return kind === 'temporal' ? startTemporalDevServer() : startJavaTestServer();
}

function serverCommand(name: string): { file: string; args: string[] } {
  const out = execFileSync(process.execPath, ['scripts/temporal-servers.mjs', '--command', name], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as { file: string; args: string[] };
}

/** Temporal's server in development mode: real time; sleep() waits for real. */
async function startTemporalDevServer(): Promise<TestServer> {
  const { file, args } = serverCommand('temporal');
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const address = await stoppedOnFailure(
    child,
    outputMatch(child, /temporal-server listening on (\S+)/, 'Temporal dev server'),
  );
  return {
    kind: 'temporal',
    address,
    pid: child.pid,
    timeSkipping: false,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    unlockedWhile: (wait) => wait(),
    shutdown: () => stop(child),
  };
}

/**
 * Temporal's Java test server with time skipping. It starts unlocked (`--enable-time-skipping`);
 * the SDK's test environment locks it at once and lifts the lock only while a client awaits a
 * result or sleeps, which is what we do. now() follows the server clock: read after every wait,
 * and advancing with the wall clock in between (time is locked then).
 */
async function startJavaTestServer(): Promise<TestServer> {
  const { file, args } = serverCommand('java-test-server');
  const port = await freePort();
  const child = spawn(file, [...args, String(port), '--enable-time-skipping'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const address = `127.0.0.1:${port}`;
  let synced = { server: Date.now(), local: Date.now() };
  const time = await stoppedOnFailure(
    child,
    (async () => {
      await untilServing(child, address);
      const control = await timeSkippingControl(address, async () => {
        synced = { server: await control.currentTime(), local: Date.now() };
      });
      await control.lock();
      synced = { server: await control.currentTime(), local: Date.now() };
      return control;
    })(),
  );
  return {
    kind: 'java-test-server',
    address,
    timeSkipping: true,
    sleep: (ms) => time.sleep(ms),
    now: () => synced.server + (Date.now() - synced.local),
    unlockedWhile: (wait) => time.unlockedWhile(wait),
    shutdown: async () => {
      await time.close();
      await stop(child);
    },
  };
}

/** `starting`'s value; if it fails, the child is stopped first (no server outlives a failed start). */
async function stoppedOnFailure<T>(child: ChildProcess, starting: Promise<T>): Promise<T> {
  try {
    return await starting;
  } catch (error) {
    await stop(child);
    throw error;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves with the first capture of `pattern` in the child's stdout; rejects if it exits first. */
function outputMatch(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 60 s:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before it was ready:\n${output}`));
    });
  });
}

/** Waits until the server answers GetSystemInfo (the JVM takes a second or two). */
async function untilServing(child: ChildProcess, address: string): Promise<void> {
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`Java test server exited (${exited}) before it was ready:\n${output}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`Java test server at ${address} did not answer within 60 s: ${String(error)}\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
