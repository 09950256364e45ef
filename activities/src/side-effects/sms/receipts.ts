import type pg from 'pg';

/**
 * A delivery receipt from a provider callback. Matched by (provider, provider message id), or by
 * `messageKey` (Aliyun's OutId), which also settles rows whose send outcome was `unknown`.
 */
export interface DeliveryReceipt {
  provider: string;
  providerMessageId?: string;
  messageKey?: string;
  status: 'delivered' | 'failed';
  /** Segments the provider billed (defaults to the ledger's count for a delivered message). */
  billedSegments?: number;
  at: Date;
  errorCode?: string;
}

/**
 * Applies receipts to the ledger: delivered, or `undelivered` (the send succeeded, delivery did not;
 * `failed` is kept for sends the provider refused). Receipts are facts, so a later receipt for the
 * same message overwrites an earlier one; a receipt for an `unknown` row proves it went out.
 * Returns how many ledger rows changed.
 */
export async function recordDeliveryReceipts(pool: pg.Pool, receipts: readonly DeliveryReceipt[]): Promise<number> {
  if (receipts.length === 0) return 0;
  const res = await pool.query(
    `UPDATE messages m SET
       status = CASE WHEN r.status = 'delivered' THEN 'delivered' ELSE 'undelivered' END,
       delivered_at = CASE WHEN r.status = 'delivered' THEN r.at END,
       sent_at = coalesce(m.sent_at, r.at),
       billed_segments = CASE WHEN r.status = 'delivered' THEN coalesce(r.billed, m.segments) ELSE coalesce(r.billed, 0) END,
       provider_message_id = coalesce(m.provider_message_id, r.pid),
       provider = coalesce(m.provider, r.provider),
       error_code = r.error_code,
       updated_at = now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::timestamptz[], $7::text[])
       AS r(provider, pid, mkey, status, billed, at, error_code)
     WHERE m.status IN ('sent', 'delivered', 'undelivered', 'unknown', 'pending')
       AND ((r.pid IS NOT NULL AND m.provider = r.provider AND m.provider_message_id = r.pid)
         OR (r.mkey IS NOT NULL AND m.message_key = r.mkey))`,
    [
      receipts.map((r) => r.provider),
      receipts.map((r) => r.providerMessageId ?? null),
      receipts.map((r) => r.messageKey ?? null),
      receipts.map((r) => r.status),
      receipts.map((r) => r.billedSegments ?? null),
      receipts.map((r) => r.at),
      receipts.map((r) => r.errorCode ?? null),
    ],
  );
  return res.rowCount ?? 0;
}

/**
 * Rows still `unknown` after the provider's receipt window: no receipt ever proved they went out.
 * They become `failed` with error code `unconfirmed`; the engine never re-sends them by itself
 * (an operator may, knowing the risk of a duplicate). Returns how many were closed.
 */
export async function closeUnconfirmed(pool: pg.Pool, olderThan: Date): Promise<number> {
  const res = await pool.query(
    `UPDATE messages SET status = 'failed', error_code = 'unconfirmed', updated_at = now() WHERE status = 'unknown' AND created_at < $1`,
    [olderThan],
  );
  return res.rowCount ?? 0;
}
