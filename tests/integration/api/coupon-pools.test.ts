// Platform coupon codes imported into a pool with its face value and validity, and handed out one per
// member with those terms, never twice; journeys are checked against the pools they name.
import { ApplicationFailure } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyEdge as edge, journeyNode as node } from '@huitou/schemas';
import type { CohortRef } from '../../../activities/src/contract.ts';
import { createSideEffectActivities, localSinkProvider } from '../../../activities/src/side-effects/index.ts';
import { journeyOf, never, nodeCall, shanghai } from '../activities/helpers.ts';
import { insertCustomers, insertRun } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

const NOON = shanghai('2026-11-12T12:00:00');
const DAY = 86_400_000;
const COUPON = {
  name: '平台回购券',
  amount: 20,
  threshold: 199,
  validity: { amount: 7, unit: 'days' as const },
  stock: null,
};
const byLineAndColumn = (errors: { line: number; column: string }[]) =>
  [...errors].sort((a, b) => a.line - b.line || a.column.localeCompare(b.column));

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
  const issue = (pool: string, nodeId: string, over: Partial<typeof COUPON> = {}) =>
    acts().issueCoupon(nodeCall('action.coupon', { ...COUPON, ...over, pool }, { ref, nodeId, now: NOON, journeyId }));
  const upload = (file: string) =>
    api.call('POST', '/api/imports/coupon-codes', {
      role: 'engineer',
      raw: file,
      headers: { 'content-type': 'text/csv' },
    });
  const pools = async () =>
    new Map(
      ((await api.call('GET', '/api/coupon-pools', { role: 'viewer' })).body.pools as { name: string }[]).map((p) => [
        p.name,
        p,
      ]),
    );
  const issuedOf = async (nodeId: string) =>
    (
      await api.db.pool.query<{ value: string; issued_at: Date; expires_at: Date }>(
        'SELECT value, issued_at, expires_at FROM coupons WHERE node_id = $1',
        [nodeId],
      )
    ).rows.map((r) => ({ value: Number(r.value), issuedAt: r.issued_at.getTime(), expiresAt: r.expires_at.getTime() }));

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

  it("imports codes with the pool's face value and validity; a re-import adds nothing; a bad code names its line and column", async () => {
    const file =
      'pool,code,value,valid_days\n双11平台券,TB1111A,20,7\n双11平台券,TB1111B,20,7\n双11平台券,TB1111C,20.00,7\n';
    expect((await upload(file)).body).toMatchObject({ state: 'succeeded', rowsRead: 3, inserted: 3 });
    expect((await upload(file)).body).toMatchObject({ state: 'succeeded', inserted: 0 });
    const bad = await upload('pool,code\n双11平台券,TB 1111D\n');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.errors).toEqual([
      { line: 2, column: 'code', message: expect.stringContaining('letters') },
    ]);
    expect((await api.call('GET', '/api/coupon-pools', { role: 'viewer' })).body.pools).toEqual([
      {
        name: '双11平台券',
        codes: 3,
        issued: 0,
        left: 3,
        redeemed: 0,
        value: 20,
        validDays: 7,
        expiresAt: null,
        createdAt: expect.any(String),
      },
    ]);
  });

  it('refuses a new pool without terms and rows contradicting a pool, each error at its line and column; nothing is kept', async () => {
    const res = await upload(
      'pool,code,value,valid_days,expires_at\n' +
        '新券池,N1,,,\n' +
        '新券池,N2,10,7,2026-12-31T23:59:59+08:00\n' +
        '双11平台券,N3,30,,\n' +
        '双11平台券,N4,,8,\n' +
        '另一池,N5,10,7,\n' +
        '另一池,N6,12,7,\n' +
        '坏值池,N7,0,7,\n' +
        '坏值池,N8,5,0,\n',
    );
    expect(res.status, res.text).toBe(422);
    expect(byLineAndColumn(res.body.error.details.errors)).toEqual([
      { line: 2, column: 'valid_days', message: expect.stringContaining('a new pool needs valid_days') },
      { line: 2, column: 'value', message: expect.stringContaining('a new pool needs the face value') },
      { line: 3, column: 'expires_at', message: expect.stringContaining('not both') },
      { line: 4, column: 'value', message: "the pool's face value is 20.00" },
      { line: 5, column: 'valid_days', message: "the pool's validity is 7 days" },
      { line: 7, column: 'value', message: "the pool's first row's face value is 10.00" },
      { line: 8, column: 'value', message: expect.stringContaining('more than 0') },
      { line: 9, column: 'valid_days', message: expect.stringContaining('1 to 3650') },
    ]);
    expect([...(await pools()).keys()]).toEqual(['双11平台券']);
    expect((await pools()).get('双11平台券')).toMatchObject({ codes: 3 });
  });

  it('a pool from before its terms (migration 099) takes them from its next import; later rows may leave them blank', async () => {
    await api.db.pool.query(`INSERT INTO coupon_pools (name, created_by) VALUES ('旧券池', 'import')`);
    const blank = await upload('pool,code\n旧券池,OLD1\n');
    expect(blank.status).toBe(422);
    expect(blank.body.error.details.errors).toEqual([
      { line: 2, column: 'value', message: expect.any(String) },
      { line: 2, column: 'valid_days', message: expect.any(String) },
    ]);
    const fixed = await upload('pool,code,value,expires_at\n旧券池,OLD1,10,2026-11-30 23:59:59\n');
    expect(fixed.body).toMatchObject({ state: 'succeeded', inserted: 1 });
    expect((await upload('pool,code\n旧券池,OLD2\n')).body).toMatchObject({ state: 'succeeded', inserted: 1 });
    expect((await pools()).get('旧券池')).toMatchObject({
      codes: 2,
      value: 10,
      validDays: null,
      expiresAt: '2026-11-30T15:59:59.000Z',
    });
  });

  it("hands each member one code with the pool's value and validity until they run out; the rest are out of stock; a retry changes nothing", async () => {
    // The node's own amount and validity give way to the pool's (publish refuses a different amount).
    const node = { amount: 15, threshold: 0, validity: { amount: 3, unit: 'days' as const } };
    expect(await issue('双11平台券', 'pool-coupon', node)).toMatchObject({
      treatment: 4,
      done: 3,
      skipped: { out_of_stock: 1 },
    });
    const { rows } = await api.db.pool.query<{ code: string }>(
      `SELECT k.code FROM coupons k JOIN coupon_pool_codes c ON c.coupon_id = k.id WHERE k.node_id = 'pool-coupon'`,
    );
    expect(rows.map((r) => r.code).sort()).toEqual(['TB1111A', 'TB1111B', 'TB1111C']);
    expect(await issuedOf('pool-coupon')).toEqual(
      Array.from({ length: 3 }, () => ({ value: 20, issuedAt: NOON, expiresAt: NOON + 7 * DAY })),
    );
    expect(await issue('双11平台券', 'pool-coupon', node)).toMatchObject({
      done: 0,
      alreadyDone: 3,
      skipped: { out_of_stock: 1 },
    });
    const sms = nodeCall(
      'action.sms',
      { smsClass: 'notification', template: '{coupon.value}元券码{coupon.code}，{coupon.expires}前有效' },
      { ref, nodeId: 'sms', now: NOON },
    );
    expect(await acts().sendSms(sms)).toMatchObject({ done: 3 });
    const bodies = await api.db.pool.query<{ body: string }>('SELECT body FROM sms_sink');
    expect(bodies.rows.map((r) => /20元券码(TB1111[ABC])，11月19日前有效/.exec(r.body)?.[1]).sort()).toEqual([
      'TB1111A',
      'TB1111B',
      'TB1111C',
    ]);
    expect((await pools()).get('双11平台券')).toMatchObject({ issued: 3, left: 0 });
  });

  it('a pool with a fixed end issues codes ending then; once it has passed the pool hands out nothing', async () => {
    expect(await issue('旧券池', 'fixed-end', { amount: 10 })).toMatchObject({
      done: 2,
      skipped: { out_of_stock: 2 },
    });
    expect(await issuedOf('fixed-end')).toEqual(
      Array.from({ length: 2 }, () => ({
        value: 10,
        issuedAt: NOON,
        expiresAt: Date.parse('2026-11-30T23:59:59+08:00'),
      })),
    );
    expect((await upload('pool,code,value,expires_at\n过期券,GONE1,5,2026-11-01T00:00:00+08:00\n')).body).toMatchObject(
      { state: 'succeeded', inserted: 1 },
    );
    expect(await issue('过期券', 'expired', { amount: 5 })).toMatchObject({
      done: 0,
      skipped: { pool_expired: 4 },
    });
    expect((await pools()).get('过期券')).toMatchObject({ issued: 0, left: 1 });
  });

  it('an unknown pool is a configuration error no retry fixes', async () => {
    const error = await issue('没有这个券池', 'no-pool').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect([(error as ApplicationFailure).type, (error as ApplicationFailure).nonRetryable]).toEqual([
      'CouponPoolUnknown',
      true,
    ]);
  });

  it("validate and publish refuse a coupon node naming an unknown pool or an amount other than its pool's", async () => {
    const draft = (pool: string, amount: number) => ({
      name: '券池校验',
      nodes: [
        node('entry', 'entry.audience', { segment: { where: { kind: 'all', of: [] }, exclude: [] } }, 0, 0),
        node('coupon', 'action.coupon', { ...COUPON, amount, pool }, 1, 0),
        node('done', 'exit', {}, 2, 0),
      ],
      edges: [edge('entry', 'coupon'), edge('coupon', 'done')],
    });
    const created = await api.call('POST', '/api/journeys', {
      role: 'marketer',
      body: { name: '券池校验', draft: draft('双11平台券', 15) },
    });
    const id = created.body.id as string;
    const errorsOf = async (body?: unknown) =>
      (await api.call('POST', `/api/journeys/${id}/validate`, { role: 'marketer', body })).body.errors;
    expect(await errorsOf()).toEqual([
      expect.objectContaining({
        code: 'COUPON_POOL_VALUE',
        nodeId: 'coupon',
        path: ['nodes', 1, 'config', 'amount'],
        message: expect.objectContaining({ en: expect.stringContaining('worth 20 yuan') }),
      }),
    ]);
    expect(await errorsOf({ draft: draft('没有这个券池', 20) })).toEqual([
      expect.objectContaining({
        code: 'COUPON_POOL_UNKNOWN',
        nodeId: 'coupon',
        path: ['nodes', 1, 'config', 'pool'],
      }),
    ]);
    const refused = await api.call('POST', `/api/journeys/${id}/publish`, { role: 'marketer', body: {} });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.errors.map((e: { code: string }) => e.code)).toEqual(['COUPON_POOL_VALUE']);
    await api.call('PUT', `/api/journeys/${id}/draft`, { role: 'marketer', body: { draft: draft('双11平台券', 20) } });
    expect((await api.call('POST', `/api/journeys/${id}/publish`, { role: 'marketer', body: {} })).status).toBe(201);
  });
});
