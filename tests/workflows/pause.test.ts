// Pause and resume. While paused nothing runs and members hold their place; on resume, steps whose
// time passed run at once, except a marketing SMS inside quiet hours (21:00-08:00 Asia/Shanghai),
// which waits for 08:00 local (= 00:00 UTC: Shanghai has no DST).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyEdge as edge, journeyNode as node } from '@huitou/schemas';
import type { JourneyGraphInput } from '@huitou/schemas';
import { audienceRun, countsQuery, pauseSignal, resumeSignal, shardWorkflowId } from '@huitou/workflows';
import { insertCustomers } from '../integration/db/fixtures.ts';
import type { Harness } from './support.ts';
import { DAY, HOUR, MINUTE, compile, ledger, publish, startHarness } from './support.ts';
import { onTimeSkippingLane } from '../support/temporal-lane.ts';

const CUSTOMERS = [1, 2, 3, 4];

const tipJourney: JourneyGraphInput = {
  name: 'wait a day, then a tip',
  settings: { holdoutPercent: 0, sms: { signature: '【测试店】' } },
  nodes: [
    node('entry', 'entry.audience', { segment: { where: { kind: 'all', of: [] }, exclude: [] } }, 0, 0),
    node('wait', 'wait.delay', { duration: { amount: 1, unit: 'days' } }, 1, 0),
    node('tip', 'action.sms', { template: '新品上架，进店看看' }, 2, 0),
    node('exit', 'exit', {}, 3, 0),
  ],
  edges: [edge('entry', 'wait'), edge('wait', 'tip'), edge('tip', 'exit')],
};

/** The next instant at `hour`:00 UTC strictly after `now`. */
function nextUtcHour(now: number, hour: number): number {
  const d = new Date(now);
  const at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour);
  return at > now ? at : at + DAY;
}

describe.runIf(onTimeSkippingLane())('pause and resume', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await insertCustomers(h.db.pool, CUSTOMERS);
  });
  afterAll(async () => h?.close());

  async function pausedRun(resumeAtUtcHour: number) {
    const plan = compile(tipJourney);
    const { journeyId, versionId, runId } = await publish(h.db.pool, plan, 'audience');
    const workflowId = `pause-${runId}`;
    const handle = await h.env.client.workflow.start(audienceRun, {
      taskQueue: h.env.taskQueue,
      workflowId,
      args: [{ runId: runId as string, journeyId, versionId, plan }],
    });
    const shard = h.env.client.workflow.getHandle(shardWorkflowId(workflowId, 0));
    await h.env.sleep(12 * HOUR);
    expect((await shard.query(countsQuery)).wait.waiting).toBe(4);

    await handle.signal(pauseSignal);
    await h.env.sleep(3 * DAY);
    // Nothing ran while paused: the members are still at the wait, long after it ended.
    expect(await ledger(h.db.pool, runId)).toEqual([]);
    expect((await shard.query(countsQuery)).wait).toMatchObject({ entered: 4, waiting: 4 });
    expect(
      (await h.db.pool.query('SELECT DISTINCT position FROM run_members WHERE run_id = $1', [runId])).rows,
    ).toEqual([{ position: 'wait' }]);

    await h.env.sleep(nextUtcHour(h.env.now(), resumeAtUtcHour) - h.env.now());
    const resumedAt = h.env.now();
    await handle.signal(resumeSignal);
    const result = await handle.result();
    expect(result.counts.exit).toMatchObject({ exited: 4 });
    return { resumedAt, sms: await ledger(h.db.pool, runId) };
  }

  it('runs an overdue step at resume time when outside quiet hours', async () => {
    const { resumedAt, sms } = await pausedRun(2); // 10:00 in Shanghai
    expect(sms.map((m) => [m.customerId, m.node, m.status, m.smsClass, m.inSink])).toEqual(
      CUSTOMERS.map((id) => [id, 'tip', 'sent', 'marketing', true]),
    );
    for (const m of sms) {
      expect(m.at).toBeGreaterThanOrEqual(resumedAt);
      expect(m.at).toBeLessThan(resumedAt + MINUTE);
    }
  });

  it('defers an overdue marketing SMS to the end of quiet hours', async () => {
    const { resumedAt, sms } = await pausedRun(14); // 22:00 in Shanghai
    // Deferred, not skipped: no quiet_hours rows, one sent message each at 08:00.
    expect(sms.map((m) => [m.customerId, m.status, m.skipReason, m.inSink])).toEqual(
      CUSTOMERS.map((id) => [id, 'sent', null, true]),
    );
    const eightLocal = nextUtcHour(resumedAt, 0);
    for (const m of sms) {
      expect(m.at).toBeGreaterThanOrEqual(eightLocal);
      expect(m.at).toBeLessThan(eightLocal + MINUTE);
    }
  });
});
