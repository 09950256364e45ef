// The journey worker, shared by `npm run worker` (its own process) and `npm start` (in-process):
// the interpreter workflows plus every journey activity, on the task queue from the config.
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { createJourneyActivities } from '@huitou/activities';
import type { TemporalConnection } from './temporal/connect.ts';

const workflowsPath = fileURLToPath(new URL('../../workflows/src/index.ts', import.meta.url));

/** A prebuilt bundle (HUITOU_WORKFLOW_BUNDLE, production) or one built now (a few seconds). */
export async function workflowBundle(log: (m: string) => void): Promise<{ codePath: string } | { code: string }> {
  const prebuilt = process.env.HUITOU_WORKFLOW_BUNDLE?.trim();
  if (prebuilt) return { codePath: prebuilt };
  log('bundling workflows (set HUITOU_WORKFLOW_BUNDLE to a prebuilt bundle in production)');
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: { log() {}, trace() {}, debug() {}, info() {}, warn: (m) => log(m), error: (m) => log(m) } });
  return { code };
}

export async function createJourneyWorker(deps: { temporal: TemporalConnection; pool: pg.Pool; log: (m: string) => void }): Promise<Worker> {
  return Worker.create({
    connection: deps.temporal.nativeConnection,
    namespace: deps.temporal.namespace,
    taskQueue: deps.temporal.taskQueue,
    workflowBundle: await workflowBundle(deps.log),
    // The SMS provider defaults to the local sink, which records what would be sent.
    activities: createJourneyActivities({ pool: deps.pool }),
  });
}
