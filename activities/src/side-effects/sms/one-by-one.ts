import type { PostResult } from '../http.ts';
import type { SmsMessage, SmsOutcome } from './provider.ts';

/**
 * Sends a batch as one call per message (the vendors' template APIs take one parameter set per
 * call), `concurrency` at a time. After an account-wide throttle or a configuration error the rest
 * of the batch is not attempted: it gets that same outcome. A per-number limit stops only its number.
 */
export async function sendOneByOne(
  batch: readonly SmsMessage[],
  concurrency: number,
  sendOne: (m: SmsMessage) => Promise<SmsOutcome>,
  perNumber: (code: string) => boolean,
): Promise<SmsOutcome[]> {
  const outcomes: SmsOutcome[] = new Array(batch.length);
  let halt: SmsOutcome | null = null;
  let next = 0;
  const worker = async () => {
    while (next < batch.length) {
      const i = next++;
      if (halt) {
        outcomes[i] = halt;
        continue;
      }
      const outcome = await sendOne(batch[i] as SmsMessage);
      outcomes[i] = outcome;
      if (outcome.outcome === 'not_sent' && !perNumber(outcome.code)) halt ??= outcome;
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), batch.length) }, worker));
  return outcomes;
}

/** A transport failure: unknown when the request may have reached the vendor, else retryable. */
export function transportOutcome(res: Extract<PostResult, { kind: 'error' }>): SmsOutcome {
  return res.maybeProcessed
    ? { outcome: 'unknown', code: res.code, message: res.message }
    : { outcome: 'not_sent', code: res.code, message: res.message, retryable: true };
}
