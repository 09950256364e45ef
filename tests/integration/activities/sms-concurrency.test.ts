import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../engine/src/db/connect.ts';
import { createSideEffectActivities, localSinkProvider } from '../../../activities/src/side-effects/index.ts';
import { insertCustomers, insertRun } from '../db/fixtures.ts';
import { describeEngine, openTestDatabase } from '../db/test-database.ts';
import { never, nodeCall, shanghai } from './helpers.ts';

const N = 1_200; // more than one default batch of 1000

describe(`SMS send path under concurrency (${describeEngine('configured')})`, () => {
  let db: Database;
  let runs: string[];

  beforeAll(async () => {
    db = await openTestDatabase();
    const ids = Array.from({ length: N }, (_, i) => i + 1);
    await insertCustomers(db.pool, ids);
    // Two journeys targeting the same customers at the same time.
    runs = [
      await insertRun(
        db.pool,
        ids.map((customerId) => ({ customerId, shard: 0, holdout: false })),
      ),
      await insertRun(
        db.pool,
        ids.map((customerId) => ({ customerId, shard: 0, holdout: false })),
      ),
    ];
    await db.pool.query('UPDATE shop_settings SET marketing_cap = 1');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('two journeys racing for the same customers never exceed the shop-wide cap', async () => {
    const activities = createSideEffectActivities({ pool: db.pool, provider: localSinkProvider(db.pool), now: never });
    const send = (runId: string) =>
      activities.sendSms(
        nodeCall(
          'action.sms',
          { template: '会员日满减' },
          { ref: { runId, shard: 0, cohort: 'root' }, nodeId: 'promo', now: shanghai('2026-11-12T10:00:00') },
        ),
      );
    const [a, b] = await Promise.all(runs.map(send));
    expect(a.done + b.done).toBe(N);
    expect((a.skipped.frequency_cap ?? 0) + (b.skipped.frequency_cap ?? 0)).toBe(N);
    const perCustomer = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT customer_id FROM messages WHERE status = 'sent' GROUP BY customer_id HAVING count(*) = 1) s`,
    );
    expect(perCustomer.rows[0].n).toBe(N);
    expect((await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sms_sink')).rows[0].n).toBe(N);
  });
});
