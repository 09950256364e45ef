import type pg from 'pg';
import { namedStatement } from '../../db/statement.ts';
import type { Queryable } from '../members.ts';
import type { SmsMessage } from './provider.ts';

const SMS_READ_FACTS = namedStatement(
  'sms.read_facts',
  `SELECT u.id, c.id IS NOT NULL AS known, c.phone, msg.id AS message_id, msg.status, msg.skip_reason, msg.recipient, msg.body, msg.segments,
     EXISTS (SELECT 1 FROM opt_outs o WHERE o.channel = 'sms' AND (o.recipient = c.phone OR o.customer_id = u.id)) AS opted_out,
     EXISTS (SELECT 1 FROM suppressions s WHERE (s.customer_id = u.id OR s.recipient = c.phone) AND (s.until IS NULL OR s.until > $3)) AS suppressed,
     CASE WHEN $4::timestamptz IS NULL THEN 0 ELSE (
       SELECT count(*)::int FROM messages x
       WHERE x.customer_id = u.id AND x.class = 'marketing' AND x.counts_toward_cap
         AND x.status = ANY($5::text[]) AND x.created_at > $4::timestamptz AND x.created_at <= $3) END AS recent
   FROM unnest($1::bigint[]) AS u(id)
   LEFT JOIN customers c ON c.id = u.id
   LEFT JOIN messages msg ON msg.message_key = $2 || u.id::text
   ORDER BY u.id`,
);

const SMS_INSERT_ROWS = namedStatement(
  'sms.insert_rows',
  `INSERT INTO messages (message_key, run_id, node_id, cycle, cycle_path, shard, trigger_key, customer_id, class, recipient, body,
                         status, skip_reason, segments, cost, unit_price, counts_toward_cap, created_at, updated_at)
   SELECT u.key, $1::uuid, $2, $3::int, $4, $5::int,
          coalesce($6::text, (SELECT rm.trigger_key FROM run_members rm WHERE rm.run_id = $1::uuid AND rm.customer_id = u.customer_id)),
          u.customer_id, $7, u.recipient, u.body,
          u.status, u.skip_reason, u.segments, u.cost, $8::numeric, $9::boolean, $10::timestamptz, $10::timestamptz
   FROM unnest($11::text[], $12::bigint[], $13::text[], $14::text[], $15::text[], $16::text[], $17::int[], $18::numeric[])
     AS u(key, customer_id, recipient, body, status, skip_reason, segments, cost)
   ON CONFLICT (message_key) DO NOTHING
   RETURNING id, message_key`,
);

const SMS_MARK_SENT = namedStatement(
  'sms.mark_sent',
  `WITH done AS (
     UPDATE messages m SET status = 'sent', provider = $1, provider_message_id = u.pid, sent_at = $2, attempts = m.attempts + 1,
                           error_code = NULL, error_message = NULL, updated_at = now()
     FROM unnest($3::bigint[], $4::text[]) AS u(id, pid)
     WHERE m.id = u.id AND m.status IN ('pending', 'unknown')
     RETURNING m.customer_id, m.class),
   bump AS (
     UPDATE customers c SET times_marketed = c.times_marketed + 1, last_marketed_at = $2
     FROM done WHERE done.class = 'marketing' AND c.id = done.customer_id RETURNING 1)
   SELECT count(*)::int AS n FROM done`,
);

/** Statuses that mean a message may have reached the customer: they count toward the frequency cap. */
export const ATTEMPTED = ['pending', 'sending', 'sent', 'delivered', 'unknown'] as const;

/** A member's facts for the send decision, read inside the reservation transaction. */
export interface MemberFacts {
  customerId: number;
  known: boolean;
  phone: string | null;
  existing: {
    id: number;
    status: string;
    skipReason: string | null;
    recipient: string | null;
    body: string | null;
    segments: number | null;
  } | null;
  optedOut: boolean;
  suppressed: boolean;
  recentMarketing: number;
}

export async function readFacts(
  db: Queryable,
  input: { ids: number[]; prefix: string; at: Date; capFrom: Date | null },
): Promise<MemberFacts[]> {
  const { rows } = await db.query<{
    id: string;
    known: boolean;
    phone: string | null;
    message_id: string | null;
    status: string | null;
    skip_reason: string | null;
    recipient: string | null;
    body: string | null;
    segments: number | null;
    opted_out: boolean;
    suppressed: boolean;
    recent: number;
  }>(SMS_READ_FACTS([input.ids, input.prefix, input.at, input.capFrom, ATTEMPTED]));
  return rows.map((r) => ({
    customerId: Number(r.id),
    known: r.known,
    phone: r.phone,
    existing:
      r.message_id === null
        ? null
        : {
            id: Number(r.message_id),
            status: r.status as string,
            skipReason: r.skip_reason,
            recipient: r.recipient,
            body: r.body,
            segments: r.segments,
          },
    optedOut: r.opted_out,
    suppressed: r.suppressed,
    recentMarketing: r.recent,
  }));
}

/** Serializes concurrent sends to the same customers (two journeys racing past the frequency cap). */
export async function lockCustomers(client: pg.PoolClient, ids: number[]): Promise<void> {
  await client.query(
    `SELECT pg_advisory_xact_lock(48113, k) FROM (SELECT DISTINCT (id % 2147483647)::int AS k FROM unnest($1::bigint[]) AS u(id) ORDER BY 1) s`,
    [ids],
  );
}

export interface NewRow {
  key: string;
  customerId: number;
  recipient: string | null;
  body: string | null;
  status: 'pending' | 'skipped';
  skipReason: string | null;
  segments: number | null;
  cost: number | null;
}

export interface RowContext {
  runId: string;
  nodeId: string;
  cycle: number;
  cyclePath: string;
  shard: number;
  triggerKey: string | null;
  smsClass: 'marketing' | 'notification';
  unitPrice: number;
  countsTowardCap: boolean;
  at: Date;
}

/** Inserts ledger rows; returns the ids of those this attempt created (a concurrent attempt may own others). */
export async function insertRows(db: Queryable, ctx: RowContext, rows: NewRow[]): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const { rows: created } = await db.query<{ id: string; message_key: string }>(
    SMS_INSERT_ROWS([
      ctx.runId,
      ctx.nodeId,
      ctx.cycle,
      ctx.cyclePath,
      ctx.shard,
      ctx.triggerKey,
      ctx.smsClass,
      ctx.unitPrice,
      ctx.countsTowardCap,
      ctx.at,
      rows.map((r) => r.key),
      rows.map((r) => r.customerId),
      rows.map((r) => r.recipient),
      rows.map((r) => r.body),
      rows.map((r) => r.status),
      rows.map((r) => r.skipReason),
      rows.map((r) => r.segments),
      rows.map((r) => r.cost),
    ]),
  );
  return new Map(created.map((r) => [r.message_key, Number(r.id)]));
}

/** A pending row ready to go to the provider. */
export interface Outgoing extends SmsMessage {
  id: number;
  customerId: number;
  cost: number;
}

/**
 * Marks rows sent (also from `unknown`, when a receipt or a slow first attempt settles them) and
 * bumps marketing counters.
 */
export async function markSent(
  db: Queryable,
  provider: string,
  at: Date,
  sent: { id: number; providerMessageId: string }[],
): Promise<number> {
  if (sent.length === 0) return 0;
  const { rows } = await db.query<{ n: number }>(
    SMS_MARK_SENT([provider, at, sent.map((s) => s.id), sent.map((s) => s.providerMessageId)]),
  );
  return rows[0].n;
}

export async function markFailed(
  db: Queryable,
  provider: string,
  failed: { id: number; code: string; message: string }[],
): Promise<void> {
  if (failed.length === 0) return;
  await db.query(
    `UPDATE messages m SET status = 'failed', provider = $1, error_code = u.code, error_message = u.msg, attempts = m.attempts + 1, updated_at = now()
     FROM unnest($2::bigint[], $3::text[], $4::text[]) AS u(id, code, msg)
     WHERE m.id = u.id AND m.status IN ('pending', 'unknown')`,
    [provider, failed.map((f) => f.id), failed.map((f) => f.code), failed.map((f) => f.message)],
  );
}

/** Definitely not sent: the reservation is released so a retry sends it. */
export async function releaseRows(db: Queryable, ids: number[]): Promise<void> {
  if (ids.length > 0) await db.query(`DELETE FROM messages WHERE id = ANY($1::bigint[]) AND status = 'pending'`, [ids]);
}

/** Outcome unknown: keep the row pending, note the attempt. */
export async function noteUnknown(
  db: Queryable,
  provider: string,
  items: { id: number; code: string; message: string }[],
): Promise<void> {
  if (items.length === 0) return;
  await db.query(
    `UPDATE messages m SET provider = $1, error_code = u.code, error_message = u.msg, attempts = m.attempts + 1, updated_at = now()
     FROM unnest($2::bigint[], $3::text[], $4::text[]) AS u(id, code, msg) WHERE m.id = u.id AND m.status = 'pending'`,
    [provider, items.map((f) => f.id), items.map((f) => f.code), items.map((f) => f.message)],
  );
}

/** Pending rows a previous attempt left behind, when nothing can tell whether they went out. */
export async function markUnknown(db: Queryable, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const res = await db.query(
    `UPDATE messages SET status = 'unknown', updated_at = now() WHERE id = ANY($1::bigint[]) AND status = 'pending'`,
    [ids],
  );
  return res.rowCount ?? 0;
}
