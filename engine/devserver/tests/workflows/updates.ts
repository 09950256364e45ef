// Workflows for the update tests: a tally with handlers (one with a validator, one that waits for
// a signal, one that fails) and a way to keep its first workflow task running while an update
// arrives (a local activity the test holds).
import {
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import type * as activities from '../activities.js';

export const add = defineUpdate<number, [number]>('add');
export const addWhenReleased = defineUpdate<number, [number]>('addWhenReleased');
export const failUpdate = defineUpdate<number, [string]>('failUpdate');
export const release = defineSignal('release');
export const finish = defineSignal('finish');
export const total = defineQuery<number>('total');

const { holdTask } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '1 minute' });

export interface TallyOptions {
  initial?: number;
  /** Holds the first workflow task (a local activity) until the test releases this key. */
  holdFirstTask?: string;
  /** What the workflow does once the held task is released: wait for `finish` (default), end, or continue as new. */
  afterHold?: 'wait' | 'end' | 'continue';
}

export async function tally(options: TallyOptions = {}): Promise<number> {
  let count = options.initial ?? 0;
  let released = false;
  let finished = false;
  setHandler(add, (n) => (count += n), {
    validator: (n) => {
      if (n < 0) throw ApplicationFailure.nonRetryable(`cannot add ${n}`, 'NegativeAmount');
    },
  });
  setHandler(addWhenReleased, async (n) => {
    await condition(() => released);
    return (count += n);
  });
  setHandler(failUpdate, (message) => {
    throw ApplicationFailure.nonRetryable(message, 'UpdateFailed');
  });
  setHandler(release, () => void (released = true));
  setHandler(finish, () => void (finished = true));
  setHandler(total, () => count);
  if (options.holdFirstTask) {
    await holdTask(options.holdFirstTask);
    if (options.afterHold === 'end') return count;
    if (options.afterHold === 'continue') await continueAsNew<typeof tally>({ initial: count });
  }
  await condition(() => finished);
  return count;
}
