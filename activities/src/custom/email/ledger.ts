// The e-mail ledger (email_messages, migration 098): one row per message key, claimed before the
// SMTP call. A row moves pending -> sending -> sent | failed, and a 'sending' row a killed worker
// left behind becomes 'unknown' (never offered again). Final rows also go to action_ledger (kind
// 'custom'), which is what reports count for actions other than SMS.
import type pg from 'pg';
import type { LedgerContext } from '../../side-effects/action-ledger.ts';
import { recordActions } from '../../side-effects/action-ledger.ts';
import type { Queryable } from '../../side-effects/members.ts';
import { inTransaction } from '../../side-effects/members.ts';

export type EmailClass = 'marketing' | 'transactional';

/** Statuses that may have reached the inbox: they count toward the e-mail marketing cap. */
const ATTEMPTED = ['pending', 'sending', 'sent', 'unknown'];

export interface StoredEmail {
  id: number;
  status: string;
  skipReason: string | null;
  recipient: string | null;
  subject: string | null;
  body: string | null;
  messageId: string;
}

/** A member's facts for the send decision, read inside the claim transaction. */
export interface EmailFacts {
  customerId: number;
  known: boolean;
  email: string | null;
  existing: StoredEmail | null;
  optedOut: boolean;
  suppressed: boolean;
  recentMarketing: number;
}

export async function readEmailFacts(
  db: Queryable,
  input: { ids: number[]; prefix: string; at: Date; capFrom: Date | null },
): Promise<EmailFacts[]> {
  const { rows } = await db.query<{
    id: string;
    known: boolean;
    email: string | null;
    message_id: string | null;
    status: string | null;
    skip_reason: string | null;
    recipient: string | null;
    subject: string | null;
    body: string | null;
    smtp_message_id: string | null;
    opted_out: boolean;
    suppressed: boolean;
    recent: number;
  }>(
    `SELECT u.id, c.id IS NOT NULL AS known, nullif(btrim(c.email), '') AS email,
       e.id AS message_id, e.status, e.skip_reason, e.recipient, e.subject, e.body, e.smtp_message_id,
       EXISTS (SELECT 1 FROM opt_outs o WHERE o.channel = 'email' AND (o.recipient = lower(btrim(c.email)) OR o.customer_id = u.id)) AS opted_out,
       EXISTS (SELECT 1 FROM suppressions s WHERE (s.customer_id = u.id OR s.recipient = lower(btrim(c.email))) AND (s.until IS NULL OR s.until > $3)) AS suppressed,
       CASE WHEN $4::timestamptz IS NULL THEN 0 ELSE (
         SELECT count(*)::int FROM email_messages x
         WHERE x.customer_id = u.id AND x.class = 'marketing' AND x.counts_toward_cap
           AND x.status = ANY($5::text[]) AND x.created_at > $4::timestamptz AND x.created_at <= $3) END AS recent
     FROM unnest($1::bigint[]) AS u(id)
     LEFT JOIN customers c ON c.id = u.id
     LEFT JOIN email_messages e ON e.message_key = $2 || u.id::text
     ORDER BY u.id`,
    [input.ids, input.prefix, input.at, input.capFrom, ATTEMPTED],
  );
  return rows.map((r) => ({
    customerId: Number(r.id),
    known: r.known,
    email: r.email,
    existing:
      r.message_id === null
        ? null
        : {
            id: Number(r.message_id),
            status: r.status as string,
            skipReason: r.skip_reason,
            recipient: r.recipient,
            subject: r.subject,
            body: r.body,
            messageId: r.smtp_message_id as string,
          },
    optedOut: r.opted_out,
    suppressed: r.suppressed,
    recentMarketing: r.recent,
  }));
}

export interface NewEmail {
  key: string;
  customerId: number;
  recipient: string | null;
  subject: string | null;
  body: string | null;
  messageId: string;
  status: 'pending' | 'skipped';
  skipReason: string | null;
}

export interface EmailRowContext {
  runId: string;
  nodeId: string;
  cyclePath: string;
  emailClass: EmailClass;
  countsTowardCap: boolean;
  at: Date;
}

/** Inserts the claims; returns the ids of the rows this attempt created, by key. */
export async function insertEmails(
  db: Queryable,
  ctx: EmailRowContext,
  rows: NewEmail[],
): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const { rows: created } = await db.query<{ id: string; message_key: string }>(
    `INSERT INTO email_messages (message_key, run_id, node_id, cycle_path, customer_id, class, recipient, subject, body,
                                 smtp_message_id, status, skip_reason, counts_toward_cap, created_at, updated_at)
     SELECT u.key, $1::uuid, $2::text, $3::text, u.customer_id, $4::text, u.recipient, u.subject, u.body, u.mid, u.status, u.reason,
            $5::boolean, $6::timestamptz, $6::timestamptz
     FROM unnest($7::text[], $8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
       AS u(key, customer_id, recipient, subject, body, mid, status, reason)
     ON CONFLICT (message_key) DO NOTHING
     RETURNING id, message_key`,
    [
      ctx.runId,
      ctx.nodeId,
      ctx.cyclePath,
      ctx.emailClass,
      ctx.countsTowardCap,
      ctx.at,
      rows.map((r) => r.key),
      rows.map((r) => r.customerId),
      rows.map((r) => r.recipient),
      rows.map((r) => r.subject),
      rows.map((r) => r.body),
      rows.map((r) => r.messageId),
      rows.map((r) => r.status),
      rows.map((r) => r.skipReason),
    ],
  );
  return new Map(created.map((r) => [r.message_key, Number(r.id)]));
}

/** pending -> sending, just before the SMTP call; false when another attempt took the row. */
export async function markSending(db: Queryable, id: number): Promise<boolean> {
  const res = await db.query(
    `UPDATE email_messages SET status = 'sending', updated_at = now() WHERE id = $1 AND status = 'pending'`,
    [id],
  );
  return (res.rowCount ?? 0) > 0;
}

/** Certainly not sent (the server said so before accepting, or never answered): a retry sends it. */
export async function releaseEmail(db: Queryable, id: number, reason: string): Promise<void> {
  await db.query(
    `UPDATE email_messages SET status = 'pending', smtp_response = $2, updated_at = now() WHERE id = $1 AND status = 'sending'`,
    [id, reason],
  );
}

/**
 * Settles one message and records it in action_ledger, in one transaction: sent (a marketing one
 * also bumps the customer's marketing counters), failed or unknown. False when the row was not in
 * a state this outcome may follow (another attempt settled it).
 */
export async function settleEmail(
  pool: pg.Pool,
  ledger: LedgerContext,
  row: { id: number; customerId: number },
  outcome: { status: 'sent' | 'failed' | 'unknown'; response: string; at: Date; marketing: boolean },
): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    const from = outcome.status === 'sent' ? ['sending', 'unknown'] : ['sending'];
    const res = await client.query(
      `UPDATE email_messages SET status = $2::text, smtp_response = $3::text, updated_at = now(),
              sent_at = CASE WHEN $2::text = 'sent' THEN $4::timestamptz ELSE sent_at END
       WHERE id = $1 AND status = ANY($5::text[])`,
      [row.id, outcome.status, outcome.response.slice(0, 500), outcome.at, from],
    );
    if ((res.rowCount ?? 0) === 0) return false;
    if (outcome.status === 'sent' && outcome.marketing)
      await client.query(
        `UPDATE customers SET times_marketed = times_marketed + 1, last_marketed_at = $2 WHERE id = $1`,
        [row.customerId, outcome.at],
      );
    await recordActions(client, ledger, [
      outcome.status === 'sent'
        ? { customerId: row.customerId, status: 'done', detail: { channel: 'email' } }
        : {
            customerId: row.customerId,
            status: 'skipped',
            skipReason: outcome.status === 'failed' ? 'smtp_rejected' : 'unknown_outcome',
            detail: { channel: 'email' },
          },
    ]);
    return true;
  });
}

/** The e-mail marketing cap: the shop's marketing cap, counted over e-mails (SMS keep their own count). */
export async function loadEmailCap(db: Queryable): Promise<{ count: number; days: number } | null> {
  const { rows } = await db.query<{ marketing_cap: number; marketing_cap_days: number }>(
    'SELECT marketing_cap, marketing_cap_days FROM shop_settings LIMIT 1',
  );
  return rows.length === 0 ? null : { count: rows[0].marketing_cap, days: rows[0].marketing_cap_days };
}
