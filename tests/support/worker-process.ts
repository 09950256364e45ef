// The product's worker process (`npm run worker`'s engine/src/worker.ts) on a test's Temporal
// server and database, for tests that SIGKILL it mid-work and start another.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import type { Database } from '../../engine/src/db/connect.ts';
import { ENGINE_NODE_FLAGS } from '../../engine/src/node-flags.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Starts a worker with `settings` on top of the test's environment; resolves once it polls. */
export async function startWorkerProcess(input: {
  env: TestEnv;
  db: Database;
  bundle: string;
  settings: Record<string, string>;
}): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...ENGINE_NODE_FLAGS, '--import', 'tsx', 'engine/src/worker.ts'], {
    cwd: root,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: input.env.server.address,
      TEMPORAL_TASK_QUEUE: input.env.taskQueue,
      DATABASE_URL: input.db.connectionString,
      HUITOU_WORKFLOW_BUNDLE: input.bundle,
      ...input.settings,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('polling')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before polling:\n${output}`)));
  });
  return child;
}
