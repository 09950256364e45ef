// Deferrals: the send path defers (writes nothing for) members while the journey is paused or
// stopped in Postgres, and marketing SMS in quiet hours (21:00-08:00 Asia/Shanghai = 13:00-00:00
// UTC; Shanghai has no DST). The interpreter keeps the cohort at the node and runs it again at the
// end of the quiet hours, or once the journey runs again: every member is messaged exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyEdge as edge, journeyNode as node } from '@huitou/schemas';
import type { JourneyGraphInput } from '@huitou/schemas';
import type { ActionResult } from '@huitou/activities/contract';
import { assignHoldout } from '@huitou/schemas/holdout';
import { audienceRun, countsQuery, shardWorkflowId } from '@huitou/workflows';
import { insertCustomers } from '../integration/db/fixtures.ts';
import type { Harness } from './support.ts';
import { DAY, HOUR, MINUTE, compile, customersOf, ledger, publish, startHarness } from './support.ts';
import { onTimeSkippingLane } from '../support/temporal-lane.ts';

const CUSTOMERS = Array.from({ length: 8 }, (_, i) => i + 1);
const HOLDOUT = 0.25;

const oneSms = (smsClass: 'marketing' | 'notification'): JourneyGraphInput => ({
  name: `one ${smsClass} SMS`,
  settings: { holdoutPercent: HOLDOUT * 100, sms: { signature: '【测试店】' } },
  nodes: [
    node('entry', 'entry.audience', { segment: { where: { kind: 'all', of: [] }, exclude: [] } }, 0, 0),
    node('promo', 'action.sms', { smsClass, template: '双11预热，进店看看' }, 1, 0),
    node('exit', 'exit', {}, 2, 0),
  ],
  edges: [edge('entry', 'promo'), edge('promo', 'exit')],
});

/** The next instant at `hour`:00 UTC strictly after `now`. */
function nextUtcHour(now: number, hour: number): number {
  const d = new Date(now);
  const at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour);
  return at > now ? at : at + DAY;
}

/** The sendSms results recorded in a shard's history, in order. */
async function sendResults(h: Harness, workflowId: string): Promise<ActionResult[]> {
  const handle = h.env.client.workflow.getHandle(shardWorkflowId(workflowId, 0));
  const history = await handle.fetchHistory();
  const converter = h.env.client.options.loadedDataConverter;
  const names = new Map<string, string>();
  const out: ActionResult[] = [];
  for (const e of history.events ?? []) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) names.set(String(e.eventId), scheduled.activityType?.name ?? '');
    const done = e.activityTaskCompletedEventAttributes;
    if (done && names.get(String(done.scheduledEventId)) === 'sendSms') {
      const payload = done.result?.payloads?.[0];
      out.push(await converter.payloadConverter.fromPayload(payload as never));
    }
  }
  return out;
}

describe.runIf(onTimeSkippingLane())('deferred side effects', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await insertCustomers(h.db.pool, CUSTOMERS);
  });
  afterAll(async () => h?.close());

  async function start(plan: ReturnType<typeof compile>, journeyState = 'running') {
    const { journeyId, versionId, runId } = await publish(h.db.pool, plan, 'audience');
    await h.db.pool.query('UPDATE journeys SET state = $2 WHERE id = $1', [journeyId, journeyState]);
    const workflowId = `deferral-${runId}`;
    const handle = await h.env.client.workflow.start(audienceRun, {
      taskQueue: h.env.taskQueue,
      workflowId,
      args: [{ runId: runId as string, journeyId, versionId, plan }],
    });
    const held = (id: number) => assignHoldout(runId as string, id, HOLDOUT);
    return { runId: runId as string, journeyId, workflowId, handle, treatment: CUSTOMERS.filter((id) => !held(id)) };
  }

  it('sends a marketing SMS reached at 23:00 Shanghai at 08:00, exactly once', async () => {
    await h.env.sleep(nextUtcHour(h.env.now(), 15) - h.env.now()); // 23:00 in Shanghai
    const reachedAt = h.env.now();
    const { runId, workflowId, handle, treatment } = await start(compile(oneSms('marketing')));
    const result = await handle.result();

    const eightLocal = nextUtcHour(reachedAt, 0);
    const sms = await ledger(h.db.pool, runId);
    // One row per treatment member, sent at 08:00 and in the sink; no quiet_hours rows.
    expect(sms.map((m) => [m.customerId, m.node, m.status, m.skipReason, m.inSink])).toEqual(
      treatment.map((id) => [id, 'promo', 'sent', null, true]),
    );
    for (const m of sms) {
      expect(m.at).toBeGreaterThanOrEqual(eightLocal);
      expect(m.at).toBeLessThan(eightLocal + MINUTE);
    }
    // The send path was asked at 23:00 (deferred, nothing written), then again at 08:00.
    const calls = await sendResults(h, workflowId);
    expect(calls.map((r) => [r.done, r.skipped, r.deferred?.members ?? 0])).toEqual([
      [0, { quiet_hours: treatment.length }, treatment.length],
      [treatment.length, {}, 0],
    ]);
    expect(result.counts.promo).toEqual({
      entered: CUSTOMERS.length,
      waiting: 0,
      exited: 0,
      ports: { out: CUSTOMERS.length },
      evaluations: 0,
    });
    expect(result.counts.exit).toMatchObject({ exited: CUSTOMERS.length });
  });

  it('holds members while the journey is paused in Postgres only, and sends once it runs again', async () => {
    await h.env.sleep(nextUtcHour(h.env.now(), 2) - h.env.now()); // 10:00 in Shanghai
    // Ops paused the journey in the database, and no signal reached the run.
    const { runId, journeyId, workflowId, handle, treatment } = await start(compile(oneSms('notification')), 'paused');
    await h.env.sleep(3 * HOUR);
    const shard = h.env.client.workflow.getHandle(shardWorkflowId(workflowId, 0));
    expect((await shard.query(countsQuery)).promo).toMatchObject({
      entered: CUSTOMERS.length,
      waiting: CUSTOMERS.length,
      ports: {},
    });
    expect(await ledger(h.db.pool, runId)).toEqual([]);

    await h.db.pool.query("UPDATE journeys SET state = 'running' WHERE id = $1", [journeyId]);
    const resumedAt = h.env.now();
    const result = await handle.result();
    const sms = await ledger(h.db.pool, runId);
    expect(sms.map((m) => [m.status, m.skipReason, m.inSink])).toEqual(treatment.map(() => ['sent', null, true]));
    expect(customersOf(sms)).toEqual(treatment);
    for (const m of sms) {
      expect(m.at).toBeGreaterThanOrEqual(resumedAt);
      expect(m.at).toBeLessThanOrEqual(resumedAt + 15 * MINUTE);
    }
    expect(result.counts.exit).toMatchObject({ exited: CUSTOMERS.length });
  });
});
