// The reviews import: upserted by the marketplace's review id, for orders in the shop (the
// customer is the order's); ratings as words or scores; Beijing times; and what it feeds: the
// bad_reviewer exclusion of segments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { auditActions, startTestApi } from './helpers.ts';

interface StoredReview {
  external_id: string;
  order: string;
  customer: string;
  rating: number;
  sentiment: string;
  content: string | null;
  created_at: string;
}

describe(`reviews import (${describeEngine('configured')})`, () => {
  let api: TestApi;
  const csv = (path: string, body: string) =>
    api.call('POST', path, { role: 'engineer', raw: body, headers: { 'content-type': 'text/csv' } });
  const reviews = async () =>
    (
      await api.db.pool.query<StoredReview>(
        `SELECT r.external_id, o.external_id AS order, c.external_id AS customer, r.rating, r.sentiment, r.content,
                to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at
         FROM reviews r JOIN orders o ON o.id = r.order_id JOIN customers c ON c.id = r.customer_id
         ORDER BY r.external_id`,
      )
    ).rows;
  /** The external ids of the customers a segment of everyone, minus bad reviewers, keeps. */
  const notBadReviewers = async (withinDays?: number) => {
    const res = await api.call('POST', '/api/segments/preview', {
      role: 'marketer',
      body: {
        segment: {
          where: { kind: 'all', of: [] },
          exclude: [{ kind: 'bad_reviewer', ...(withinDays ? { withinDays } : {}) }],
        },
        asOf: '2026-11-20T00:00:00+08:00',
        sampleSize: 200,
      },
    });
    expect(res.status).toBe(200);
    const ids = res.body.sample.map((s: { customerId: number }) => s.customerId);
    const { rows } = await api.db.pool.query<{ external_id: string }>(
      'SELECT external_id FROM customers WHERE id = ANY($1::bigint[]) ORDER BY external_id',
      [ids],
    );
    return rows.map((r) => r.external_id);
  };

  beforeAll(async () => {
    api = await startTestApi();
    const customers = await csv('/api/imports/customers', 'external_id,nickname\nc-1,a\nc-2,b\nc-3,c\n');
    expect(customers.status).toBe(200);
    const orders = await csv(
      '/api/imports/orders',
      'external_id,customer_external_id,status,amount,created_at,paid_at\n' +
        'o-1,c-1,paid,99,2026-11-01 10:00:00,2026-11-01 10:05:00\n' +
        'o-2,c-2,paid,199,2026-11-02T10:00:00+08:00,2026-11-02T10:05:00+08:00\n' +
        'o-3,c-3,created,59,2026-11-03T10:00:00+08:00,\n',
    );
    expect(orders.status).toBe(200);
  });
  afterAll(async () => api?.close());

  it('imports words and scores, Beijing or ISO times; the customer is the order’s; audited', async () => {
    expect(await notBadReviewers()).toEqual(['c-1', 'c-2', 'c-3']);
    const res = await csv(
      '/api/imports/reviews',
      'external_id,order_external_id,rating,content,created_at\n' +
        'r-1,o-1,差评,"包装破损,客服不回",2026-11-05 20:30:00\n' +
        'r-2,o-2,5,很好,2026-11-06T09:00:00+08:00\n' +
        'r-3,o-3,中评,,2026-11-07 08:00:00\n' +
        'r-4,o-2,Neutral,,2026-11-08T00:00:00Z\n' +
        'r-5,o-3,2,,2026-10-01 12:00:00\n',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'reviews', state: 'succeeded', rowsRead: 5, inserted: 5, updated: 0 });
    expect(await reviews()).toEqual([
      {
        external_id: 'r-1',
        order: 'o-1',
        customer: 'c-1',
        rating: 1,
        sentiment: 'negative',
        content: '包装破损,客服不回',
        created_at: '2026-11-05T12:30:00Z',
      },
      {
        external_id: 'r-2',
        order: 'o-2',
        customer: 'c-2',
        rating: 5,
        sentiment: 'positive',
        content: '很好',
        created_at: '2026-11-06T01:00:00Z',
      },
      {
        external_id: 'r-3',
        order: 'o-3',
        customer: 'c-3',
        rating: 3,
        sentiment: 'neutral',
        content: null,
        created_at: '2026-11-07T00:00:00Z',
      },
      {
        external_id: 'r-4',
        order: 'o-2',
        customer: 'c-2',
        rating: 3,
        sentiment: 'neutral',
        content: null,
        created_at: '2026-11-08T00:00:00Z',
      },
      {
        external_id: 'r-5',
        order: 'o-3',
        customer: 'c-3',
        rating: 2,
        sentiment: 'negative',
        content: null,
        created_at: '2026-10-01T04:00:00Z',
      },
    ]);
    expect(await auditActions(api, res.body.id)).toEqual(['import.reviews']);
  });

  it('bad_reviewer removes the customers with a 差评 (within the window, when one is given)', async () => {
    expect(await notBadReviewers()).toEqual(['c-2']);
    // c-3's negative review is older than 30 days on 2026-11-20.
    expect(await notBadReviewers(30)).toEqual(['c-2', 'c-3']);
  });

  it('a re-import upserts by review id; a file without content keeps the text', async () => {
    const res = await csv(
      '/api/imports/reviews',
      'external_id,order_external_id,rating,created_at\nr-2,o-2,差评,2026-11-06 09:00:00\n',
    );
    expect(res.body).toMatchObject({ state: 'succeeded', inserted: 0, updated: 1 });
    expect((await reviews()).find((r) => r.external_id === 'r-2')).toMatchObject({
      rating: 1,
      sentiment: 'negative',
      content: '很好',
    });
    expect(await notBadReviewers()).toEqual([]);
  });

  it('bad rows: 422 naming line and column, nothing stored', async () => {
    const before = await reviews();
    const res = await csv(
      '/api/imports/reviews',
      'external_id,order_external_id,rating,created_at\n' +
        'x-1,o-1,好评,2026-11-09 10:00:00\n' +
        'x-2,o-404,好评,2026-11-09 10:00:00\n' +
        'x-3,o-1,6,2026-11-09 10:00:00\n' +
        'x-4,o-1,差评,2026-11-09\n' +
        'x-5,o-1,,2026-02-30 10:00:00\n',
    );
    expect(res.status).toBe(422);
    expect(
      res.body.error.details.errors
        .map((e: { line: number; column: string }) => [e.line, e.column])
        .sort((a: [number, string], b: [number, string]) => a[0] - b[0] || a[1].localeCompare(b[1])),
    ).toEqual([
      [3, 'order_external_id'],
      [4, 'rating'],
      [5, 'created_at'],
      [6, 'created_at'],
      [6, 'rating'],
    ]);
    expect(res.body.error.details.errors.find((e: { line: number }) => e.line === 3).message).toBe(
      'no order with this external id',
    );
    const missing = await csv('/api/imports/reviews', 'external_id,rating,created_at\nx-6,好评,2026-11-09 10:00:00\n');
    expect(missing.status).toBe(422);
    expect(missing.body.error.details.errors).toEqual([
      { line: 1, column: 'order_external_id', message: 'a required column is missing' },
    ]);
    expect(await reviews()).toEqual(before);
  });
});
