// Responses (engine/src/shop/responses.ts, docs/domain.md § Responses): a purchase within the
// shop's attribution window after a marketing SMS is the customer's response to it. Worked out by
// hand per customer; the low_response exclusion then means what it says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../engine/src/db/connect.ts';
import { compileSegment } from '../../../activities/src/segments/compile.ts';
import { refreshResponses } from '../../../engine/src/shop/responses.ts';
import { insertCustomers, insertOrder } from './fixtures.ts';
import { describeEngine, openTestDatabase } from './test-database.ts';

const DAY = 24 * 3600 * 1000;
const T = Date.parse('2026-09-01T10:00:00+08:00');
const day = (n: number) => new Date(T + n * DAY);

describe(`responses to marketing SMS (${describeEngine('configured')})`, () => {
  let db: Database;
  let sent = 0;
  beforeAll(async () => {
    db = await openTestDatabase();
    await insertCustomers(db.pool, [1, 2, 3, 4, 5, 6, 7, 8]);
  });
  afterAll(async () => db?.close());

  /** A marketing (or notification) SMS sent to the customer, counted as the send path counts it. */
  const send = async (customerId: number, at: Date, smsClass: 'marketing' | 'notification' = 'marketing') => {
    sent += 1;
    await db.pool.query(
      `INSERT INTO messages (message_key, customer_id, class, status, sent_at, created_at) VALUES ($1, $2, $3, 'sent', $4, $4)`,
      [`test/${sent}/${customerId}`, customerId, smsClass, at],
    );
    if (smsClass === 'marketing')
      await db.pool.query(
        'UPDATE customers SET times_marketed = times_marketed + 1, last_marketed_at = $2 WHERE id = $1',
        [customerId, at],
      );
  };
  const buy = (customerId: number, at: Date, status: 'completed' | 'refunded' = 'completed') =>
    insertOrder(db.pool, { customerId, at, status, items: [{ category: 'food', amount: 99 }] });
  const counters = async () =>
    (
      await db.pool.query<{ id: string; times_responded: number; last_responded_at: Date | null }>(
        'SELECT id, times_responded, last_responded_at FROM customers ORDER BY id',
      )
    ).rows.map((r) => [Number(r.id), r.times_responded, r.last_responded_at?.getTime() ?? null]);
  const all = [1, 2, 3, 4, 5, 6, 7, 8];

  it('counts a purchase within the window after a send, per message, and never one before it', async () => {
    await send(1, day(0));
    await buy(1, day(3)); // 3 days after: a response
    await send(2, day(0));
    await buy(2, day(20)); // 20 days after: outside the 15-day window
    await send(3, day(0));
    await send(3, day(5));
    await buy(3, day(8)); // one purchase in the window of both sends: both are answered
    await buy(4, day(0));
    await send(4, day(1)); // sent after the purchase: never counts
    await send(5, day(0));
    await buy(5, day(3), 'refunded'); // a refunded order is no purchase
    await send(6, day(0), 'notification');
    await buy(6, day(2)); // a notification is not marketing
    await db.pool.query('UPDATE customers SET times_responded = 7 WHERE id = 6'); // synthetic, as the demo shop's

    expect(await refreshResponses(db.pool, { ids: all })).toBe(2);
    expect(await counters()).toEqual([
      [1, 1, day(3).getTime()],
      [2, 0, null],
      [3, 2, day(8).getTime()],
      [4, 0, null],
      [5, 0, null],
      [6, 7, null], // no marketing message: left alone
      [7, 0, null],
      [8, 0, null],
    ]);
    // Recomputing again changes nothing.
    expect(await refreshResponses(db.pool, { ids: all })).toBe(0);
  });

  it("follows the shop's attribution window, and customers named by external id", async () => {
    await db.pool.query("UPDATE customers SET external_id = 'buyer-' || id");
    await db.pool.query('UPDATE shop_settings SET attribution_days = 25');
    expect(await refreshResponses(db.pool, { externalIds: ['buyer-2'] })).toBe(1);
    expect((await counters())[1]).toEqual([2, 1, day(20).getTime()]);
    await db.pool.query('UPDATE shop_settings SET attribution_days = 15');
    await refreshResponses(db.pool, { ids: [2] });
    expect((await counters())[1]).toEqual([2, 0, null]);
  });

  it('a refund takes the response back', async () => {
    await db.pool.query("UPDATE orders SET status = 'refunded', refunded_at = $2 WHERE customer_id = $1", [1, day(10)]);
    await refreshResponses(db.pool, { ids: [1] });
    expect((await counters())[0]).toEqual([1, 0, null]);
  });

  it('low_response no longer excludes a customer who responds', async () => {
    const lowResponders = async () => {
      const { sql, params } = compileSegment(
        { where: { kind: 'all', of: [] }, exclude: [{ kind: 'low_response' }] },
        { asOf: day(60), timeZone: 'Asia/Shanghai' },
      );
      const { rows } = await db.pool.query<{ customer_id: string }>(`SELECT customer_id FROM (${sql}) s`, [...params]);
      const kept = new Set(rows.map((r) => Number(r.customer_id)));
      return all.filter((id) => !kept.has(id));
    };
    for (let i = 0; i < 5; i += 1) {
      await send(7, day(i * 7));
      await send(8, day(i * 7));
    }
    expect(await lowResponders()).toEqual([7, 8]); // neither has bought since
    await buy(7, day(30)); // 9 and 2 days after the fourth and fifth sends: two responses in five (40%)
    await refreshResponses(db.pool, { ids: [7, 8] });
    expect((await counters()).slice(6)).toEqual([
      [7, 2, day(30).getTime()],
      [8, 0, null],
    ]);
    // Marketed five times: 8 never answered (0%) and is excluded; 7 answered and is kept.
    expect(await lowResponders()).toEqual([8]);
  });
});
