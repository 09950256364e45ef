// Platform coupon codes imported into a pool and handed out one per member, never twice.
import { ApplicationFailure } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CohortRef } from '../../../activities/src/contract.ts';
import { createSideEffectActivities, localSinkProvider } from '../../../activities/src/side-effects/index.ts';
import { journeyOf, never, nodeCall, shanghai } from '../activities/helpers.ts';
import { insertCustomers, insertRun } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

const NOON = shanghai('2026-11-12T12:00:00');
const COUPON = {
  name: '平台回购券',
  amount: 20,
  threshold: 199,
  validity: { amount: 7, unit: 'days' as const },
  stock: null,
};

describe(`coupon pools (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let ref: CohortRef;
  let journeyId: string;
  const acts = () =>
    createSideEffectActivities({
      pool: api.db.pool,
      provider: localSinkProvider(api.db.pool),
      now: never,
      batchSize: 10,
    });
  const issue = (pool: string, nodeId: string) =>
    acts().issueCoupon(nodeCall('action.coupon', { ...COUPON, pool }, { ref, nodeId, now: NOON, journeyId }));
  const upload = (file: string) =>
    api.call('POST', '/api/imports/coupon-codes', {
      role: 'engineer',
      raw: file,
      headers: { 'content-type': 'text/csv' },
    });

  beforeAll(async () => {
    api = await startTestApi();
    await insertCustomers(api.db.pool, [1, 2, 3, 4, 5]);
    const runId = await insertRun(
      api.db.pool,
      [1, 2, 3, 4, 5].map((customerId) => ({ customerId, shard: 0, holdout: customerId === 5 })),
    );
    ref = { runId, shard: 0, cohort: 'root' };
    journeyId = await journeyOf(api.db.pool, runId);
  });
  afterAll(async () => api?.close());

  it('imports codes into pools; a re-import adds nothing; a bad code names its line and column', async () => {
    const file = 'pool,code\n双11平台券,TB1111A\n双11平台券,TB1111B\n双11平台券,TB1111C\n';
    expect((await upload(file)).body).toMatchObject({ state: 'succeeded', rowsRead: 3, inserted: 3 });
    expect((await upload(file)).body).toMatchObject({ state: 'succeeded', inserted: 0 });
    const bad = await upload('pool,code\n双11平台券,TB 1111D\n');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.errors).toEqual([
      { line: 2, column: 'code', message: expect.stringContaining('letters') },
    ]);
    expect((await api.call('GET', '/api/coupon-pools', { role: 'viewer' })).body.pools).toEqual([
      { name: '双11平台券', codes: 3, issued: 0, left: 3, redeemed: 0, createdAt: expect.any(String) },
    ]);
  });

  it('hands each member one code until they run out; the rest are out of stock; a retry changes nothing', async () => {
    expect(await issue('双11平台券', 'pool-coupon')).toMatchObject({
      treatment: 4,
      done: 3,
      skipped: { out_of_stock: 1 },
    });
    const { rows } = await api.db.pool.query<{ code: string }>(
      `SELECT k.code FROM coupons k JOIN coupon_pool_codes c ON c.coupon_id = k.id WHERE k.node_id = 'pool-coupon'`,
    );
    expect(rows.map((r) => r.code).sort()).toEqual(['TB1111A', 'TB1111B', 'TB1111C']);
    expect(await issue('双11平台券', 'pool-coupon')).toMatchObject({
      done: 0,
      alreadyDone: 3,
      skipped: { out_of_stock: 1 },
    });
    const sms = nodeCall(
      'action.sms',
      { smsClass: 'notification', template: '券码{coupon.code}' },
      { ref, nodeId: 'sms', now: NOON },
    );
    expect(await acts().sendSms(sms)).toMatchObject({ done: 3 });
    const bodies = await api.db.pool.query<{ body: string }>('SELECT body FROM sms_sink');
    expect(bodies.rows.map((r) => /TB1111[ABC]/.exec(r.body)?.[0]).sort()).toEqual(['TB1111A', 'TB1111B', 'TB1111C']);
    expect((await api.call('GET', '/api/coupon-pools', { role: 'viewer' })).body.pools[0]).toMatchObject({
      issued: 3,
      left: 0,
    });
  });

  it('an unknown pool is a configuration error no retry fixes', async () => {
    const error = await issue('没有这个券池', 'no-pool').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect([(error as ApplicationFailure).type, (error as ApplicationFailure).nonRetryable]).toEqual([
      'CouponPoolUnknown',
      true,
    ]);
  });
});
