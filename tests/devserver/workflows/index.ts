// Workflows used by the dev-server tests: each exercises one part of the protocol.
import {
  ApplicationFailure, CancellationScope, ParentClosePolicy, continueAsNew, defineQuery, defineSignal,
  executeChild, isCancellation, proxyActivities, setHandler, sleep, startChild, condition, upsertSearchAttributes,
  workflowInfo,
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

export async function longChild(): Promise<void> {
  await sleep('365 days');
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
