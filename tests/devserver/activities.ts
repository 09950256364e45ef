// Activities for the dev-server tests. Attempt counters live in the test process.
import { ApplicationFailure, CancelledFailure, Context, sleep } from '@temporalio/activity';

export const attempts = new Map<string, number[]>();

function record(key: string): number {
  const attempt = Context.current().info.attempt;
  attempts.set(key, [...(attempts.get(key) ?? []), attempt]);
  return attempt;
}

export async function echo(message: string): Promise<string> {
  return message;
}

export async function failTimes(key: string, failures: number): Promise<string> {
  const attempt = record(key);
  if (attempt <= failures) throw ApplicationFailure.retryable(`attempt ${attempt} failed`, 'Transient');
  return `ok on attempt ${attempt}`;
}

export async function throwNonRetryable(key: string): Promise<void> {
  record(key);
  throw ApplicationFailure.nonRetryable('balance too low', 'InsufficientBalance');
}

export async function slow(key: string, ms: number): Promise<string> {
  record(key);
  await sleep(ms);
  return 'finished';
}

/** Attempt 1 heartbeats progress then stalls (heartbeat timeout); attempt 2 resumes from it. */
export async function heartbeatThenStall(key: string): Promise<number[]> {
  const attempt = record(key);
  const resumed = (Context.current().info.heartbeatDetails as number[] | undefined) ?? [];
  if (attempt === 1) {
    Context.current().heartbeat([1, 2, 3]);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    return [-1];
  }
  return resumed;
}

export async function heartbeatUntilCancelled(key: string): Promise<string> {
  record(key);
  try {
    for (let i = 0; i < 100; i++) {
      Context.current().heartbeat(i);
      await sleep(100);
    }
    return 'ran to the end';
  } catch (err) {
    if (err instanceof CancelledFailure) {
      attempts.set(`${key}:cancelled`, [1]);
      throw err;
    }
    throw err;
  }
}

/**
 * Attempt 1 announces itself (a test kills its worker then) and blocks; a later attempt, on the
 * restarted worker, completes.
 */
export async function blockingStep(key: string): Promise<string> {
  const attempt = record(key);
  if (attempt === 1) {
    process.stdout.write(`STARTED ${key}\n`);
    for (;;) {
      Context.current().heartbeat();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return `${key}: first step on attempt ${attempt}`;
}
