// Test sends before launch (docs/api.md § Test sends): the journey's messages, rendered for one
// chosen customer by a one-customer simulation (the same render path as a real run, coupons
// included), go through the shop's SMS provider to colleagues' numbers. They are recorded in
// `test_sends`, apart from `messages`, so no report, frequency cap or dedup of real sends sees them.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { ExecutionPlan } from '@huitou/schemas';
import { countSms } from '@huitou/schemas';
import { parsePhone } from '@huitou/schemas/phone';
import type { TestSendResult } from '@huitou/schemas/http';
import type { SmsProvider } from '@huitou/activities';
import type { Idempotency } from '../api/idempotency.ts';
import type { Db } from '../db/transaction.ts';
import { withTransaction } from '../db/transaction.ts';
import type { ErrorPath } from '../errors.ts';
import { unprocessable } from '../errors.ts';
import { simulateJourney } from '../simulate/simulate.ts';

/** Each number as E.164, or a 422 naming the first one that is not a mobile. */
export function checkedMobiles(raw: readonly string[], path: ErrorPath): string[] {
  return raw.map((number, i) => {
    const parsed = parsePhone(number);
    if (parsed.kind !== 'mobile')
      throw unprocessable('invalid_phone', `${JSON.stringify(number)} is not a mobile number`, [...path, i]);
    return parsed.e164;
  });
}

export async function readTestPhones(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ test_phones: string[] }>('SELECT test_phones FROM shop_settings LIMIT 1');
  return rows[0]?.test_phones ?? [];
}

/** Replaces the colleagues' numbers (duplicates dropped, order kept). */
export async function writeTestPhones(db: Db, raw: readonly string[]): Promise<string[]> {
  const phones = [...new Set(checkedMobiles(raw, ['body', 'phones']))];
  await db.query('UPDATE shop_settings SET test_phones = $1, updated_at = now()', [phones]);
  return phones;
}

export interface TestSendInput {
  pool: pg.Pool;
  provider: SmsProvider;
  journeyId: string;
  plan: ExecutionPlan;
  customerId: number;
  /** The numbers asked for (validated here); default: the shop's colleagues' numbers. */
  numbers?: readonly string[];
  requestedBy: string;
  idempotency?: Idempotency;
  log?: (message: string) => void;
}

export async function testSend(input: TestSendInput): Promise<TestSendResult> {
  const { pool } = input;
  const numbers = input.numbers
    ? [...new Set(checkedMobiles(input.numbers, ['body', 'numbers']))]
    : await readTestPhones(pool);
  if (numbers.length === 0)
    throw unprocessable(
      'no_test_phones',
      "no numbers to send to: add colleagues' numbers in the settings or send some",
      ['body', 'numbers'],
    );
  // A retry with the same key answers the first request's sends instead of texting colleagues twice.
  const batchId = randomUUID();
  const earlier = await withTransaction(pool, async (db) => {
    const found = await input.idempotency?.claim(db);
    if (!found) await input.idempotency?.record(db, batchId);
    return found;
  });
  if (earlier) return readBatch(pool, earlier, input.customerId);

  const simulation = await simulateJourney({
    plan: input.plan,
    audience: { customerId: input.customerId },
    shop: pool,
    renderAll: true,
    log: input.log,
  });
  const timeline = simulation.timeline ?? [];
  const messages = timeline.filter((m) => m.sent && m.body !== null);
  const skipped = timeline.filter((m) => !m.sent).map((m) => ({ nodeId: m.nodeId, reason: m.skipReason ?? 'unknown' }));
  if (messages.length === 0 && skipped.length === 0)
    throw unprocessable(
      'test_send_nothing',
      `customer ${input.customerId} gets no message from this journey (not in its audience, or no SMS on the path)`,
      ['body', 'customerId'],
    );

  const unitPrice = input.plan.settings.sms.unitPrice;
  const outgoing = messages.flatMap((m, i) =>
    numbers.map((to, j) => ({
      key: `test:${batchId}:${i}:${j}`,
      nodeId: m.nodeId,
      to,
      body: m.body as string,
      smsClass: m.smsClass,
      segments: countSms(m.body as string, unitPrice).segments,
    })),
  );
  for (const o of outgoing)
    await pool.query(
      `INSERT INTO test_sends (batch_id, message_key, journey_id, customer_id, node_id, recipient, body, segments, status, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9)`,
      [batchId, o.key, input.journeyId, input.customerId, o.nodeId, o.to, o.body, o.segments, input.requestedBy],
    );
  const outcomes = outgoing.length > 0 ? await input.provider.send(outgoing) : [];
  for (const [i, o] of outgoing.entries()) {
    const outcome = outcomes[i];
    const sent = outcome?.outcome === 'sent';
    await pool.query(
      `UPDATE test_sends SET status = $2, provider = $3, provider_message_id = $4, error_message = $5 WHERE message_key = $1`,
      [
        o.key,
        sent ? 'sent' : 'failed',
        input.provider.name,
        sent ? outcome.providerMessageId : null,
        sent ? null : outcome ? `${outcome.code}: ${outcome.message}` : 'no answer from the provider',
      ],
    );
  }
  return { ...(await readBatch(pool, batchId, input.customerId)), skipped };
}

async function readBatch(pool: pg.Pool, batchId: string, customerId: number): Promise<TestSendResult> {
  const { rows } = await pool.query<{
    node_id: string;
    recipient: string;
    body: string;
    segments: number;
    status: 'pending' | 'sent' | 'failed';
    error_message: string | null;
  }>(
    'SELECT node_id, recipient, body, segments, status, error_message FROM test_sends WHERE batch_id = $1 ORDER BY id',
    [batchId],
  );
  return {
    batchId,
    customerId,
    sent: rows.map((r) => ({
      nodeId: r.node_id,
      to: r.recipient,
      body: r.body,
      segments: r.segments,
      status: r.status,
      error: r.error_message,
    })),
    skipped: [],
  };
}
