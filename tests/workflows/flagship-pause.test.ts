// Ops pause the 11.11 journey during cycle 2 (issue 5): nothing is sent while paused, the members
// hold their place at the monthly repeat, and on resume cycle 2 runs at once for exactly those
// members (outside quiet hours), then the remaining cycles go on. Every member still gets one SMS
// and one coupon per cycle, never two.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyTemplates } from '@huitou/schemas';
import { assignHoldout } from '@huitou/schemas/holdout';
import { audienceRun, countsQuery, pauseSignal, resumeSignal, shardWorkflowId } from '@huitou/workflows';
import { seedDemoShop } from '@huitou/engine/demo/seed';
import type { Harness } from './support.ts';
import { DAY, HOUR, compile, ledger, publish, untilShanghaiMorning, sortNumbers, startHarness } from './support.ts';
import { onTimeSkippingLane } from '../support/temporal-lane.ts';

const SHOP = { customers: 1_500, seed: 2024, referenceDate: '2026-11-12' };
const HOLDOUT = 0.1;

describe.runIf(onTimeSkippingLane())('flagship: pause during cycle 2, resume', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await seedDemoShop(h.db.pool, SHOP);
  }, 120_000);
  afterAll(async () => h?.close());

  it('sends nothing while paused and continues where the members were', async () => {
    const pool = h.db.pool;
    const plan = compile(journeyTemplates.newBuyer1111);
    const { journeyId, versionId, runId } = await publish(pool, plan, 'audience');
    const t0 = await untilShanghaiMorning(h.env); // 10:00 in Shanghai, outside quiet hours
    const workflowId = `flagship-pause-${runId}`;
    const handle = await h.env.client.workflow.start(audienceRun, {
      taskQueue: h.env.taskQueue,
      workflowId,
      args: [{ runId: runId as string, journeyId, versionId, plan }],
    });
    const shard = h.env.client.workflow.getHandle(shardWorkflowId(workflowId, 0));

    // Cycle 1 ran at day 30; cycle 2 is due at day 60. Pause at day 59, keep paused past day 60.
    await h.env.sleep(t0 + 59 * DAY - h.env.now());
    const members = (
      await pool.query<{ customer_id: string; holdout: boolean }>(
        'SELECT customer_id, holdout FROM run_members WHERE run_id = $1',
        [runId],
      )
    ).rows;
    expect(members.length).toBeGreaterThan(20);
    const treatment = sortNumbers(members.filter((m) => !m.holdout).map((m) => Number(m.customer_id)));
    expect(members.every((m) => m.holdout === assignHoldout(runId as string, Number(m.customer_id), HOLDOUT))).toBe(
      true,
    );
    const cycleRows = async (cycle: number) =>
      (await ledger(pool, runId)).filter((m) => m.node === 'cycle_thanks' && m.cycle === cycle);
    expect(sortNumbers((await cycleRows(1)).map((m) => m.customerId))).toEqual(treatment);
    expect(await cycleRows(2)).toEqual([]);

    await handle.signal(pauseSignal);
    const pausedAt = h.env.now();
    await h.env.sleep(7 * DAY); // day 66: cycle 2's time has passed
    const resumedAt = h.env.now();
    // Nothing was sent, issued or moved while paused; everyone still waits at the repeat.
    const all = await ledger(pool, runId);
    expect(all.filter((m) => m.at >= pausedAt)).toEqual([]);
    const coupons = async () =>
      (
        await pool.query<{ cycle_path: string; customer_id: string; issued_at: Date }>(
          'SELECT cycle_path, customer_id, issued_at FROM coupons WHERE run_id = $1',
          [runId],
        )
      ).rows;
    expect((await coupons()).filter((c) => c.issued_at.getTime() >= pausedAt)).toEqual([]);
    expect((await shard.query(countsQuery)).monthly.waiting).toBe(members.length);
    const positions = await pool.query<{ position: string }>(
      'SELECT DISTINCT position FROM run_members WHERE run_id = $1 AND exited_at IS NULL',
      [runId],
    );
    expect(positions.rows).toEqual([{ position: 'monthly' }]);

    await handle.signal(resumeSignal);
    const result = await handle.result();

    // On resume cycle 2 ran at once (10:00 in Shanghai, outside quiet hours) for the same members.
    const cycle2 = await cycleRows(2);
    expect(sortNumbers(cycle2.map((m) => m.customerId))).toEqual(treatment);
    for (const m of cycle2) {
      expect(m.at).toBeGreaterThanOrEqual(resumedAt);
      expect(m.at).toBeLessThan(resumedAt + HOUR);
    }
    // Every cycle once per treatment member: SMS (cycle 5 over the shop-wide cap) and coupons.
    const sms = await ledger(pool, runId);
    expect(new Set(sms.map((m) => m.key)).size).toBe(sms.length);
    for (const cycle of [1, 2, 3, 4, 5]) {
      const rows = sms.filter((m) => m.node === 'cycle_thanks' && m.cycle === cycle);
      expect(sortNumbers(rows.map((m) => m.customerId))).toEqual(treatment);
      expect(
        rows.every(
          (m) =>
            (m.status === 'sent' && m.inSink) ||
            m.skipReason === 'no_phone' ||
            (cycle === 5 && m.skipReason === 'frequency_cap'),
        ),
      ).toBe(true);
      const issued = (await coupons()).filter((c) => c.cycle_path === `monthly:${cycle}`);
      expect(sortNumbers(issued.map((c) => Number(c.customer_id)))).toEqual(treatment);
    }
    // Cycle 3 keeps the monthly rhythm from the late cycle 2.
    const cycle3 = await cycleRows(3);
    expect(Math.min(...cycle3.map((m) => m.at))).toBeGreaterThanOrEqual(resumedAt + 30 * DAY - HOUR);
    expect(result.counts.exit_done).toMatchObject({ entered: members.length, exited: members.length });
  }, 120_000);
});
