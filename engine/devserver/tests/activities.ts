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

interface Hold {
  held: Promise<void>;
  announce(): void;
  released: Promise<void>;
  release(): void;
}

const holds = new Map<string, Hold>();

function hold(key: string): Hold {
  let h = holds.get(key);
  if (!h) {
    let announce = () => {};
    let release = () => {};
    const held = new Promise<void>((resolve) => (announce = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    h = { held, announce, released, release };
    holds.set(key, h);
  }
  return h;
}

/** A local activity that keeps its workflow task running until the test releases `key` (1 minute at most). */
export async function holdTask(key: string): Promise<void> {
  const h = hold(key);
  h.announce();
  await Promise.race([h.released, sleep(60_000)]);
}

/** Resolves once holdTask(key) runs, that is while its workflow task is running. */
export function taskHeld(key: string): Promise<void> {
  return hold(key).held;
}

export function releaseTask(key: string): void {
  hold(key).release();
}
