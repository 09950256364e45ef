import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../engine/src/db/connect.ts';
import type { CohortRef } from '../../../activities/src/contract.ts';
import { createSideEffectActivities, localSinkProvider } from '../../../activities/src/side-effects/index.ts';
import { insertCustomers, insertRun } from '../db/fixtures.ts';
import { describeEngine, openTestDatabase } from '../db/test-database.ts';
import { DAY, never, nodeCall, setJourneyState, shanghai } from './helpers.ts';

const MORNING = shanghai('2026-11-12T10:00:00');
const treatmentIds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe(`SMS send path: guards, ledger, exactly once (${describeEngine('configured')})`, () => {
  let db: Database;
  let ref: CohortRef;
  const sms = (
    nodeId: string,
    over: { now?: number; smsClass?: 'marketing' | 'notification'; template?: string } = {},
  ) =>
    nodeCall(
      'action.sms',
      { smsClass: over.smsClass ?? 'marketing', template: over.template ?? '{nickname}，双11回购券已到账' },
      { ref, nodeId, now: over.now ?? MORNING },
    );
  const activities = () =>
    createSideEffectActivities({ pool: db.pool, provider: localSinkProvider(db.pool), now: never, batchSize: 3 });
  const sinkCount = async (nodeId: string) =>
    (
      await db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM sms_sink WHERE message_key LIKE '%/' || $1 || '//%'`,
        [nodeId],
      )
    ).rows[0].n;

  beforeAll(async () => {
    db = await openTestDatabase();
    const { pool } = db;
    await insertCustomers(pool, [...treatmentIds, 11, 12]);
    const runId = await insertRun(pool, [
      ...treatmentIds.map((customerId) => ({ customerId, shard: 0, holdout: false })),
      { customerId: 11, shard: 0, holdout: true },
      { customerId: 12, shard: 0, holdout: true },
    ]);
    ref = { runId, shard: 0, cohort: 'root' };
    await pool.query(`INSERT INTO opt_outs (recipient, source) SELECT phone, 'reply' FROM customers WHERE id = 2`);
    await pool.query(`INSERT INTO suppressions (customer_id, reason) VALUES (3, 'complaint')`);
    await pool.query('UPDATE customers SET phone = NULL WHERE id = 4');
    await pool.query('UPDATE shop_settings SET marketing_cap = 2, marketing_cap_days = 365');
    // Customer 5 already had two marketing SMS this year (from another journey); one from 400 days ago does not count.
    await pool.query(
      `INSERT INTO messages (message_key, customer_id, class, status, created_at) VALUES
         ('other/a/5', 5, 'marketing', 'delivered', $1), ('other/b/5', 5, 'marketing', 'sent', $2), ('other/c/5', 5, 'marketing', 'sent', $3),
         ('other/d/6', 6, 'marketing', 'failed', $1)`,
      [new Date(MORNING - 30 * DAY), new Date(MORNING - 2 * DAY), new Date(MORNING - 400 * DAY)],
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  it('sends to the treatment arm, skips with reasons, and records each skip in the ledger', async () => {
    const result = await activities().sendSms(sms('thanks'));
    expect(result).toEqual({
      treatment: 10,
      holdout: 2,
      done: 6,
      alreadyDone: 0,
      skipped: { opted_out: 1, suppressed: 1, no_phone: 1, frequency_cap: 1 },
      segments: 6,
      cost: 0.3,
    });
    const { rows } = await db.pool.query<{
      customer_id: string;
      status: string;
      skip_reason: string | null;
      body: string | null;
      segments: number | null;
    }>(
      `SELECT customer_id, status, skip_reason, body, segments FROM messages WHERE run_id = $1 AND node_id = 'thanks' ORDER BY customer_id`,
      [ref.runId],
    );
    expect(rows.map((r) => [Number(r.customer_id), r.status, r.skip_reason])).toEqual([
      [1, 'sent', null],
      [2, 'skipped', 'opted_out'],
      [3, 'skipped', 'suppressed'],
      [4, 'skipped', 'no_phone'],
      [5, 'skipped', 'frequency_cap'],
      [6, 'sent', null],
      [7, 'sent', null],
      [8, 'sent', null],
      [9, 'sent', null],
      [10, 'sent', null],
    ]);
    expect(rows[0].body).toBe('【回头小店】c1，双11回购券已到账回T退订');
    expect(await sinkCount('thanks')).toBe(6);
    const counters = await db.pool.query<{ id: string; times_marketed: number }>(
      'SELECT id, times_marketed FROM customers WHERE id IN (1, 2, 11) ORDER BY id',
    );
    expect(counters.rows.map((r) => r.times_marketed)).toEqual([1, 0, 0]);
  });

  it('a retried activity finds the ledger rows and sends nothing again', async () => {
    const result = await activities().sendSms(sms('thanks'));
    expect(result).toMatchObject({
      done: 0,
      alreadyDone: 6,
      skipped: { opted_out: 1, suppressed: 1, no_phone: 1, frequency_cap: 1 },
      segments: 0,
    });
    expect(await sinkCount('thanks')).toBe(6);
  });

  it('notifications still reach opted-out numbers and ignore the marketing cap, never suppressed ones', async () => {
    const result = await activities().sendSms(sms('shipped', { smsClass: 'notification', template: '您的包裹已发出' }));
    expect(result).toMatchObject({ done: 8, skipped: { suppressed: 1, no_phone: 1 } });
    const body = await db.pool.query<{ body: string }>(
      `SELECT body FROM messages WHERE node_id = 'shipped' AND customer_id = 2`,
    );
    expect(body.rows[0].body).toBe('【回头小店】您的包裹已发出'); // no opt-out suffix on notifications
  });

  it('the frequency cap counts this journey’s own marketing sends too', async () => {
    // Customers 1 and 6-10 got one marketing SMS above; the cap is 2, so one more each, then none.
    const second = await activities().sendSms(sms('care'));
    expect(second).toMatchObject({ done: 6, skipped: { opted_out: 1, suppressed: 1, no_phone: 1, frequency_cap: 1 } });
    const third = await activities().sendSms(sms('again'));
    expect(third).toMatchObject({ done: 0, skipped: { opted_out: 1, suppressed: 1, no_phone: 1, frequency_cap: 7 } });
  });

  it('defers marketing in quiet hours (nothing written), and sends once they end', async () => {
    const night = await activities().sendSms(sms('quiet', { now: shanghai('2026-11-12T23:30:00') }));
    expect(night).toMatchObject({ done: 0, alreadyDone: 0, skipped: { quiet_hours: 10 } });
    const rows = await db.pool.query(`SELECT 1 FROM messages WHERE node_id = 'quiet'`);
    expect(rows.rowCount).toBe(0);
    // Notifications are not held by quiet hours.
    const notice = await activities().sendSms(
      sms('quiet-notice', { smsClass: 'notification', template: '订单已签收', now: shanghai('2026-11-12T23:30:00') }),
    );
    expect(notice.done).toBe(8);
  });

  it('re-checks the journey state: paused defers without writing, resume sends', async () => {
    await setJourneyState(db.pool, ref.runId, 'paused');
    const paused = await activities().sendSms(sms('resume-test', { smsClass: 'notification', template: '感谢支持' }));
    expect(paused).toMatchObject({ done: 0, skipped: { paused: 10 } });
    expect(await sinkCount('resume-test')).toBe(0);
    await setJourneyState(db.pool, ref.runId, 'running');
    const resumed = await activities().sendSms(sms('resume-test', { smsClass: 'notification', template: '感谢支持' }));
    expect(resumed).toMatchObject({ done: 8, skipped: { suppressed: 1, no_phone: 1 } });
  });

  it('an idempotent provider gets rows a crash left pending again (it deduplicates by key)', async () => {
    const call = sms('crash-sink', { smsClass: 'notification', template: '感谢支持' });
    const prefix = `${ref.runId}/s:0/crash-sink//`;
    // A crashed attempt reserved customer 1 and delivered it to the sink, customer 6 reserved only.
    await db.pool.query(
      `INSERT INTO messages (message_key, run_id, node_id, customer_id, class, recipient, body, status, segments)
       SELECT $1 || id, $2, 'crash-sink', id, 'notification', phone, '【回头小店】感谢支持', 'pending', 1 FROM customers WHERE id IN (1, 6)`,
      [prefix, ref.runId],
    );
    await localSinkProvider(db.pool).send([
      { key: `${prefix}1`, to: '+8619000000001', body: '【回头小店】感谢支持', smsClass: 'notification', segments: 1 },
    ]);
    const result = await activities().sendSms(call);
    expect(result).toMatchObject({ done: 8, alreadyDone: 0, skipped: { suppressed: 1, no_phone: 1 } });
    expect(await sinkCount('crash-sink')).toBe(8);
    const statuses = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages WHERE node_id = 'crash-sink' AND status = 'sent'`,
    );
    expect(statuses.rows[0].n).toBe(8);
  });
});
