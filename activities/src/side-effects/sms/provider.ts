/** One message handed to a provider; `key` is the ledger's message key (the provider's OutId). */
export interface SmsMessage {
  key: string;
  to: string;
  body: string;
  smsClass: 'marketing' | 'notification';
  segments: number;
}

/**
 * What happened to one message. Providers never throw for a message: every failure is classified,
 * because the ledger must know whether the message may have gone out.
 */
export type SmsOutcome =
  | { outcome: 'sent'; providerMessageId: string }
  /** Definitely not delivered and never will be (bad number, blacklisted): recorded as failed. */
  | { outcome: 'rejected'; code: string; message: string }
  /**
   * Definitely not sent. `retryable`: try again later (rate limit, provider down); otherwise a
   * configuration problem (balance, signature, template) that a retry cannot fix.
   */
  | { outcome: 'not_sent'; code: string; message: string; retryable: boolean; retryAfterMs?: number }
  /** May or may not have been sent (timeout, connection lost after the request went out). */
  | { outcome: 'unknown'; code: string; message: string };

/** A provider's view of a message it may have received, for settling rows a crash left pending. */
export type SmsLookup = { found: true; providerMessageId: string } | { found: false };

export interface SmsProvider {
  /** Stored in the ledger's `provider` column; receipts are matched by (provider, message id). */
  readonly name: string;
  /** The provider deduplicates by `key`, so re-sending a message whose outcome is unknown is safe. */
  readonly idempotent: boolean;
  /** One outcome per message, in order. */
  send(batch: readonly SmsMessage[]): Promise<SmsOutcome[]>;
  /** Optional: whether messages with these keys reached the provider. */
  lookup?(keys: readonly string[]): Promise<Map<string, SmsLookup>>;
}

/** Error codes shared by the HTTP adapters. */
export const TRANSPORT_CODES = {
  timeout: 'timeout',
  network: 'network_error',
  refused: 'connection_refused',
} as const;
