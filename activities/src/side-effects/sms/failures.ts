import { ApplicationFailure } from '@temporalio/activity';
import type { SmsOutcome } from './provider.ts';

type NotSent = Extract<SmsOutcome, { outcome: 'not_sent' }>;
type Unknown = Extract<SmsOutcome, { outcome: 'unknown' }>;

/** Failure types the interpreter (and ops) can tell apart. */
export const SMS_FAILURE = {
  /** Balance, signature, template or credentials: a person must fix it; not retried. */
  config: 'SmsProviderConfigError',
  /** Rate limited or provider unavailable: nothing was sent for these messages; retried later. */
  throttled: 'SmsProviderThrottled',
  /** Some messages' outcome is unknown (timeout): the retry settles them per the pending-row policy. */
  unknown: 'SmsOutcomeUnknown',
} as const;

/** The failure to raise after a batch's ledger updates, or null when every message was settled. */
export function batchFailure(notSent: NotSent[], unknown: Unknown[]): ApplicationFailure | null {
  const fatal = notSent.find((o) => !o.retryable);
  if (fatal) {
    return ApplicationFailure.nonRetryable(
      `SMS provider refused the batch: ${fatal.code} ${fatal.message}`.trim(),
      SMS_FAILURE.config,
      { code: fatal.code },
    );
  }
  if (notSent.length > 0) {
    const delay = Math.max(0, ...notSent.map((o) => o.retryAfterMs ?? 0));
    return ApplicationFailure.create({
      message: `SMS provider throttled ${notSent.length} messages (${notSent[0].code})`,
      type: SMS_FAILURE.throttled,
      details: [{ code: notSent[0].code, messages: notSent.length }],
      nextRetryDelay: delay > 0 ? delay : undefined,
    });
  }
  if (unknown.length > 0) {
    return ApplicationFailure.retryable(
      `SMS outcome unknown for ${unknown.length} messages (${unknown[0].code})`,
      SMS_FAILURE.unknown,
      { code: unknown[0].code },
    );
  }
  return null;
}
