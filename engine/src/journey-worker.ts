// The journey worker, shared by `npm run worker` (its own process) and `npm start` (in-process):
// the interpreter workflows plus every journey activity, on the task queue from the config.
import type pg from 'pg';
import { Worker } from '@temporalio/worker';
import { createJourneyActivities } from '@huitou/activities';
import type { EmailConfig, SmsProviderConfig } from './config.ts';
import { describeEmailChannel, emailChannelFrom } from './email-channel.ts';
import { describeSmsProvider, smsProviderFrom } from './sms-provider.ts';
import type { TemporalConnection } from './temporal/connect.ts';
import { cachedInterpreterBundle } from './temporal/workflow-bundle.ts';

/**
 * A prebuilt bundle (HUITOU_WORKFLOW_BUNDLE, production) or the cached one (built in a few seconds
 * when the sources changed).
 */
export async function workflowBundle(log: (m: string) => void): Promise<{ codePath: string }> {
  const prebuilt = process.env.HUITOU_WORKFLOW_BUNDLE?.trim();
  if (prebuilt) return { codePath: prebuilt };
  log('bundling workflows unless cached (set HUITOU_WORKFLOW_BUNDLE to a prebuilt bundle in production)');
  return cachedInterpreterBundle(log);
}

export async function createJourneyWorker(deps: {
  temporal: TemporalConnection;
  pool: pg.Pool;
  sms: SmsProviderConfig;
  /** Default: the local sink (`email_sink`). */
  email?: EmailConfig;
  log: (m: string) => void;
}): Promise<Worker> {
  deps.log(`SMS through ${describeSmsProvider(deps.sms)}`);
  if (deps.email) deps.log(`e-mail through ${describeEmailChannel(deps.email)}`);
  return Worker.create({
    connection: deps.temporal.nativeConnection,
    namespace: deps.temporal.namespace,
    taskQueue: deps.temporal.taskQueue,
    workflowBundle: await workflowBundle(deps.log),
    activities: createJourneyActivities({
      pool: deps.pool,
      provider: smsProviderFrom(deps.sms, deps.pool),
      ...(deps.email ? { email: emailChannelFrom(deps.email, deps.pool) } : {}),
    }),
  });
}
