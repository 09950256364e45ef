// Workflows used by the dev-server tests: each exercises one part of the protocol.
import {
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  continueAsNew,
  defineQuery,
  defineSignal,
  executeChild,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  condition,
  upsertSearchAttributes,
  workflowInfo,
  ActivityCancellationType,
} from '@temporalio/workflow';
import type * as activities from '../activities.js';

const { echo } = proxyActivities<typeof activities>({ startToCloseTimeout: '10s' });

export async function greet(name: string): Promise<string> {
  return await echo(`hello ${name}`);
}

export async function sleeper(ms: number): Promise<number> {
  const start = Date.now();
  await sleep(ms);
  return Date.now() - start;
}

export const approve = defineSignal<[string]>('approve');
export const stateQuery = defineQuery<string[]>('state');

export async function waitForApproval(): Promise<string[]> {
  const log: string[] = [];
  setHandler(approve, (who) => void log.push(who));
  setHandler(stateQuery, () => log);
  await condition(() => log.length >= 2);
  return log;
}

export async function failing(message: string): Promise<void> {
  throw ApplicationFailure.nonRetryable(message, 'BadInput');
}

export async function cancellable(): Promise<string> {
  try {
    await sleep('1 day');
    return 'slept';
  } catch (err) {
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(() => echo('cleanup'));
      throw err;
    }
    throw err;
  }
}

export async function counter(n: number, until: number): Promise<number> {
  if (n >= until) return n;
  await sleep(10);
  await continueAsNew<typeof counter>(n + 1, until);
  return -1;
}

export async function child(x: number): Promise<number> {
  await sleep('1 hour');
  return x * 2;
}

export async function parentOfChild(x: number): Promise<number> {
  return (await executeChild(child, { args: [x] })) + 1;
}

/** Runs until cancelled or terminated. No timer: a time-skipping server has nothing to skip to. */
export async function longChild(): Promise<void> {
  await condition(() => false);
}

export async function parentAbandoning(policy: 'terminate' | 'abandon'): Promise<string> {
  const handle = await startChild(longChild, {
    workflowId: `${workflowInfo().workflowId}-child`,
    parentClosePolicy: policy === 'terminate' ? ParentClosePolicy.TERMINATE : ParentClosePolicy.ABANDON,
  });
  return handle.workflowId;
}

export async function parentCancellingChild(): Promise<string> {
  try {
    await CancellationScope.cancellable(async () => {
      const handle = await startChild(longChild, { workflowId: `${workflowInfo().workflowId}-child` });
      CancellationScope.current().cancel();
      await handle.result();
    });
    return 'not cancelled';
  } catch (err) {
    return isCancellation(err) ? 'child cancelled' : `other: ${String(err)}`;
  }
}

export async function tagged(journeyId: string): Promise<void> {
  upsertSearchAttributes({ JourneyId: [journeyId] });
  await condition(() => false, '1 day');
}

// ---- activities: retries, timeouts, heartbeats, cancellation ----------------------------------

const flaky = proxyActivities<typeof activities>({
  startToCloseTimeout: '5s',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumAttempts: 4 },
});

export async function retryUntilSuccess(key: string, failures: number): Promise<{ result: string; elapsedMs: number }> {
  const start = Date.now();
  const result = await flaky.failTimes(key, failures);
  return { result, elapsedMs: Date.now() - start };
}

export async function nonRetryable(key: string): Promise<string> {
  try {
    await flaky.throwNonRetryable(key);
    return 'no error';
  } catch (err) {
    return describeFailure(err);
  }
}

export async function exhaustAttempts(key: string): Promise<string> {
  try {
    await flaky.failTimes(key, 100);
    return 'no error';
  } catch (err) {
    return describeFailure(err);
  }
}

export async function startToCloseTimeout(key: string): Promise<string> {
  const { slow } = proxyActivities<typeof activities>({
    startToCloseTimeout: '300ms',
    retry: { maximumAttempts: 2, initialInterval: '1s' },
  });
  try {
    await slow(key, 2000);
    return 'no error';
  } catch (err) {
    return describeFailure(err);
  }
}

export async function scheduleToCloseTimeout(key: string): Promise<string> {
  const { failTimes } = proxyActivities<typeof activities>({
    scheduleToCloseTimeout: '10 minutes',
    retry: { initialInterval: '3 minutes', backoffCoefficient: 1 },
  });
  try {
    await failTimes(key, 100);
    return 'no error';
  } catch (err) {
    return describeFailure(err);
  }
}

export async function heartbeatResume(key: string): Promise<number[]> {
  const { heartbeatThenStall } = proxyActivities<typeof activities>({
    startToCloseTimeout: '1 minute',
    heartbeatTimeout: '1500ms',
    retry: { initialInterval: '1s' },
  });
  return await heartbeatThenStall(key);
}

export async function cancelActivity(key: string): Promise<string> {
  const { heartbeatUntilCancelled } = proxyActivities<typeof activities>({
    startToCloseTimeout: '1 minute',
    heartbeatTimeout: '1s',
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  try {
    await CancellationScope.cancellable(async () => {
      const p = heartbeatUntilCancelled(key);
      await sleep(300);
      CancellationScope.current().cancel();
      await p;
    });
    return 'not cancelled';
  } catch (err) {
    return describeFailure(err);
  }
}

function describeFailure(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  while (e instanceof Error) {
    const type = (e as { type?: string }).type;
    parts.push(`${e.name}${type ? `(${type})` : ''}: ${e.message}`);
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join(' <- ');
}

// ---- restarts ---------------------------------------------------------------------------------

export async function stepsAcrossRestart(key: string): Promise<string[]> {
  const { blockingStep } = proxyActivities<typeof activities>({
    startToCloseTimeout: '1 hour',
    heartbeatTimeout: '1s',
    retry: { initialInterval: '1s' },
  });
  const first = await blockingStep(key);
  await sleep('1 hour');
  const second = await echo(`${key}: second step`);
  return [first, second];
}

/** Time must not skip while the activity runs, or the day-long timer would win the race. */
export async function activityVersusTimer(key: string): Promise<string> {
  const { slow } = proxyActivities<typeof activities>({ startToCloseTimeout: '1 minute' });
  return await Promise.race([slow(key, 500), sleep('1 day').then(() => 'timer')]);
}

export * from './updates.js';
