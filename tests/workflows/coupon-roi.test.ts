// Coupon redemption into ROI, end to end on the time-skipping server with the real activities: a
// journey hands pool codes (with the pool's face value) to its treatment members and texts them;
// one buyer pays with their code inside the checkpoint's window, another buys without one, a
// holdout member buys too. The run report (and its CSV) shows per arm the coupons issued, the one
// redeemed, its face value in cost and ROI, and none for the holdout; the journey report agrees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileJourney, journeyEdge as edge, journeyNode as node } from '@huitou/schemas';
import type { JourneyGraphInput } from '@huitou/schemas';
import { assignHoldout } from '@huitou/schemas/holdout';
import { audienceRun } from '@huitou/workflows';
import { couponCodesImport } from '../../engine/src/imports/coupon-codes.ts';
import { reportCsv, runReport } from '../../engine/src/api/routes/segments.ts';
import { journeyReport } from '../../engine/src/reports/journey-report.ts';
import { compileOptionsOf } from '../../engine/src/segments/saved-segments.ts';
import { insertCustomers } from '../integration/db/fixtures.ts';
import { onTimeSkippingLane } from '../support/temporal-lane.ts';
import type { Harness } from './support.ts';
import { DAY, HOUR, ledger, publish, sortNumbers, startHarness, untilShanghaiMorning } from './support.ts';

const CUSTOMERS = Array.from({ length: 12 }, (_, i) => i + 1);
const HOLDOUT = 0.25;
/** A run id whose holdout draw over the 12 customers has both arms (custom-action.test.ts). */
const RUN_ID = '0b5e1c2a-7d3f-4a8e-9c61-2f4d8e1a3b57';
const POOL = '双11回购券';

const couponJourney: JourneyGraphInput = {
  name: 'pool coupons into ROI',
  // Free SMS: the cost the report shows is the coupon's face value alone.
  settings: { holdoutPercent: HOLDOUT * 100, sms: { signature: '【测试店】', unitPrice: 0 } },
  nodes: [
    node('entry', 'entry.audience', { segment: { where: { kind: 'all', of: [] }, exclude: [] } }, 0, 0),
    node(
      'coupon',
      'action.coupon',
      { name: '回购券', amount: 20, threshold: 199, validity: { amount: 7, unit: 'days' }, pool: POOL },
      1,
      0,
    ),
    node('sms', 'action.sms', { template: '{coupon.value}元券已到账，券码{coupon.code}' }, 2, 0),
    node('eval', 'eval.checkpoint', { name: '3天', anchors: ['coupon'], offset: { amount: 3, unit: 'days' } }, 3, 0),
    node('done', 'exit', {}, 4, 0),
  ],
  edges: [edge('entry', 'coupon'), edge('coupon', 'sms'), edge('sms', 'eval'), edge('eval', 'done')],
};

describe.runIf(onTimeSkippingLane())('coupon redemption into ROI', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await insertCustomers(h.db.pool, CUSTOMERS);
    // The platform's codes, one more than the members, imported with the pool's terms.
    const rows = Array.from({ length: 13 }, (_, i) => ({
      pool: POOL,
      code: `TM${String(i + 1).padStart(4, '0')}`,
      value: '20',
      valid_days: 7,
    }));
    expect(
      await couponCodesImport.check?.(
        h.db.pool,
        rows.map((row, i) => ({ line: i + 2, row })),
      ),
    ).toEqual([]);
    await couponCodesImport.write?.(h.db.pool, rows, new Set(['pool', 'code', 'value', 'valid_days']));
  }, 120_000);
  afterAll(async () => h?.close());

  it('reports coupons issued, the one redeemed in the window and its face value in cost and ROI, per arm', async () => {
    const pool = h.db.pool;
    const compiled = compileJourney(couponJourney, await compileOptionsOf(pool));
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
    const plan = compiled.plan;
    const { journeyId, versionId, runId } = await publish(pool, plan, 'audience', RUN_ID);
    const t0 = await untilShanghaiMorning(h.env); // outside quiet hours
    const handle = await h.env.client.workflow.start(audienceRun, {
      taskQueue: h.env.taskQueue,
      workflowId: `coupon-roi-${runId}`,
      args: [{ runId: runId as string, journeyId, versionId, plan, shardSize: 5 }],
    });

    const treatment = CUSTOMERS.filter((id) => !assignHoldout(RUN_ID, id, HOLDOUT));
    const holdout = CUSTOMERS.filter((id) => assignHoldout(RUN_ID, id, HOLDOUT));
    expect(treatment.length).toBeGreaterThan(1);
    expect(holdout.length).toBeGreaterThan(0);
    const [redeemer, plainBuyer] = treatment;

    // A day in, inside the checkpoint's 3-day window: the redeemer pays with their own code (as an
    // order import's coupon_code or an order event's couponCode lands it), another treatment member
    // buys without a code, and a holdout member buys.
    await h.env.sleep(t0 + DAY + HOUR - h.env.now());
    const codes = await pool.query<{
      customer_id: string;
      code: string;
      value: string;
      expires_at: Date;
      issued_at: Date;
    }>('SELECT customer_id, code, value, expires_at, issued_at FROM coupons WHERE run_id = $1', [runId]);
    expect(sortNumbers(codes.rows.map((r) => Number(r.customer_id)))).toEqual(sortNumbers(treatment));
    for (const r of codes.rows) {
      expect(r.code).toMatch(/^TM\d{4}$/);
      expect(Number(r.value)).toBe(20);
      expect(r.expires_at.getTime() - r.issued_at.getTime()).toBe(7 * DAY);
    }
    const codeOf = new Map(codes.rows.map((r) => [Number(r.customer_id), r.code]));
    // Each treatment member was texted their own code.
    const sms = await ledger(pool, runId);
    expect(sortNumbers(sms.filter((m) => m.status !== 'skipped' && m.inSink).map((m) => m.customerId))).toEqual(
      sortNumbers(treatment),
    );
    const at = new Date(h.env.now());
    const order = (customerId: number, amount: number, code: string | null) =>
      pool.query(
        `INSERT INTO orders (customer_id, status, amount, item_count, created_at, paid_at, coupon_code) VALUES ($1, 'paid', $2, 1, $3, $3, $4)`,
        [customerId, amount, at, code],
      );
    await order(redeemer, 259, codeOf.get(redeemer) as string);
    await order(plainBuyer, 99, null);
    await order(holdout[0], 150, null);

    await handle.result();
    const rows = await runReport(pool, runId as string);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ checkpoint: '3天', group: 'root', shards: Math.ceil(CUSTOMERS.length / 5) });
    expect(row.treatment).toMatchObject({
      targets: treatment.length,
      buyers: 2,
      sales: 259 + 99,
      couponsIssued: treatment.length,
      couponsRedeemed: 1,
      couponValue: 20,
      cost: 20,
      metrics: { roi: (259 + 99) / 20 },
    });
    expect(row.holdout).toMatchObject({
      targets: holdout.length,
      buyers: 1,
      sales: 150,
      couponsIssued: 0,
      couponsRedeemed: 0,
      couponValue: 0,
      cost: 0,
      metrics: { roi: null },
    });
    expect(row.incrementalRoi).toBeCloseTo((row.incrementalSales as number) / 20, 9);

    // The CSV carries the same figures, under their names in either language.
    const [header, line] = reportCsv(rows, 'en').trim().split('\r\n');
    const cells = Object.fromEntries(header.split(',').map((k, i) => [k, line.split(',')[i]]));
    expect(cells).toMatchObject({
      treatment_coupons_issued: String(treatment.length),
      treatment_coupons_redeemed: '1',
      treatment_coupon_value: '20',
      treatment_cost: '20',
      holdout_coupons_issued: '0',
      holdout_coupons_redeemed: '0',
      holdout_coupon_value: '0',
    });
    expect(reportCsv(rows, 'zh').split('\r\n')[0]).toContain('触达组·核销券数');

    // The journey report (members by entry, each over their journey's longest window) counts the
    // coupons with the same SQL: the same figures here, where every window holds the order.
    const byEntry = await journeyReport(
      pool,
      { id: journeyId, name: 'pool coupons into ROI' },
      {
        period: 'custom',
        bounds: { from: new Date(t0 - DAY), to: new Date(t0 + DAY) },
        timeZone: 'Asia/Shanghai',
        goal: { kind: 'purchase' },
      },
    );
    expect(byEntry.entered).toBe(CUSTOMERS.length);
    for (const arm of ['treatment', 'holdout'] as const)
      expect(byEntry[arm]).toMatchObject({
        couponsIssued: row[arm].couponsIssued,
        couponsRedeemed: row[arm].couponsRedeemed,
        couponValue: row[arm].couponValue,
        cost: row[arm].cost,
        sales: row[arm].sales,
      });
    expect(byEntry.roi).toBe((259 + 99) / 20);
  }, 120_000);
});
