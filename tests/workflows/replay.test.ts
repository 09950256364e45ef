// Determinism guard: histories recorded from fixture runs are replayed against today's workflow
// code, so a change that would break running journeys fails CI. Missing files are recorded
// (HUITOU_RECORD_HISTORIES=1 re-records them after an intended, patched() change).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { journeyEdge as edge, journeyNode as node } from '@huitou/schemas';
import type { JourneyGraphInput } from '@huitou/schemas';
import type { CohortEvent } from '@huitou/activities/contract';
import {
  audienceRun,
  cohortEventsSignal,
  eventSignal,
  shardWorkflowId,
  triggeredCohort,
  triggeredRun,
} from '@huitou/workflows';
import { insertCustomers, insertOrder } from '../integration/db/fixtures.ts';
import { compile, publish, startHarness, workflowBundle } from './support.ts';

const dir = fileURLToPath(new URL('./histories/', import.meta.url));

const fixture: JourneyGraphInput = {
  name: 'replay fixture',
  settings: { holdoutPercent: 20, sms: { signature: '【测试店】' } },
  nodes: [
    node('entry', 'entry.audience', { segment: { where: { kind: 'all', of: [] }, exclude: [] } }, 0, 0),
    node(
      'split',
      'split.random',
      {
        arms: [
          { key: 'a', name: 'A', percent: 50 },
          { key: 'b', name: 'B', percent: 50 },
        ],
      },
      1,
      0,
    ),
    node('wait', 'wait.delay', { duration: { amount: 1, unit: 'days' } }, 2, 0),
    node(
      'loop',
      'loop.repeat',
      {
        cycles: 2,
        interval: { amount: 5, unit: 'days' },
        exitWhen: {
          kind: 'purchase',
          metric: 'count',
          window: { kind: 'since', anchor: 'entry' },
          compare: { op: 'gte', value: 1 },
        },
      },
      3,
      0,
    ),
    node('sms', 'action.sms', { smsClass: 'notification', template: '回来看看' }, 4, 0),
    node('eval', 'eval.checkpoint', { name: '评估', anchors: ['sms'], offset: { amount: 2, unit: 'days' } }, 5, 0),
    node('exit', 'exit', {}, 4, 1),
    node('exit_b', 'exit', {}, 2, 1),
  ],
  edges: [
    edge('entry', 'split'),
    edge('split', 'wait', 'a'),
    edge('split', 'exit_b', 'b'),
    edge('wait', 'loop'),
    edge('loop', 'sms', 'body'),
    edge('sms', 'eval'),
    edge('eval', 'loop'),
    edge('loop', 'exit', 'done'),
  ],
};

/** A 催付-like triggered plan: a payment takes the member out of the wait, the others are reminded. */
const triggeredFixture: JourneyGraphInput = {
  name: 'replay triggered fixture',
  settings: { holdoutPercent: 0, goal: { kind: 'trigger_order_paid' }, sms: { signature: '【测试店】' } },
  nodes: [
    node('entry', 'entry.event', { event: 'order_created', triggerKey: 'order_id' }, 0, 0),
    node('wait_paid', 'wait.event', { event: 'order_paid', timeout: { amount: 30, unit: 'minutes' } }, 1, 0),
    node('remind', 'action.sms', { smsClass: 'notification', template: '您的订单还未付款' }, 2, 0),
    node('wait', 'wait.delay', { duration: { amount: 1, unit: 'hours' } }, 3, 0),
    node('exit_paid', 'exit', { reason: 'paid' }, 2, 1),
    node('exit', 'exit', {}, 4, 0),
  ],
  edges: [
    edge('entry', 'wait_paid'),
    edge('wait_paid', 'exit_paid', 'event'),
    edge('wait_paid', 'remind', 'timeout'),
    edge('remind', 'wait'),
    edge('wait', 'exit'),
  ],
};

/** A triggered cohort of three orders (one paid during its wait), and a one-member run of the old design. */
async function recordTriggered(): Promise<void> {
  const h = await startHarness();
  try {
    await insertCustomers(h.db.pool, [1, 2, 3, 4]);
    const at = new Date(h.env.now());
    const orders: number[] = [];
    for (const customerId of [1, 2, 3, 4])
      orders.push(
        await insertOrder(h.db.pool, { customerId, at, status: 'created', items: [{ category: 'food', amount: 50 }] }),
      );
    const plan = compile(triggeredFixture);
    const { journeyId, versionId } = await publish(h.db.pool, plan, 'triggered');
    const entries: CohortEvent[] = [1, 2, 3].map((customerId, i) => ({
      key: `order:${orders[i]}`,
      entry: true,
      type: 'order_created',
      customerId,
      orderId: orders[i],
      at: at.getTime(),
    }));
    const cohort = await h.env.client.workflow.signalWithStart(triggeredCohort, {
      taskQueue: h.env.taskQueue,
      workflowId: 'replay-cohort',
      args: [{ journeyId, versionId, plan }],
      signal: cohortEventsSignal,
      signalArgs: [entries],
    });
    const legacyEvent = { type: 'order_created' as const, orderId: orders[3], customerId: 4, at: at.getTime() };
    const legacy = await h.env.client.workflow.signalWithStart(triggeredRun, {
      taskQueue: h.env.taskQueue,
      workflowId: 'replay-triggered',
      args: [{ journeyId, versionId, plan, triggerKey: `order:${orders[3]}` }],
      signal: eventSignal,
      signalArgs: [legacyEvent],
    });
    await h.env.sleep(10 * 60_000);
    await cohort.signal(cohortEventsSignal, [{ ...entries[0], entry: false, type: 'order_paid', at: h.env.now() }]);
    await Promise.all([cohort.result(), legacy.result()]);
    mkdirSync(dir, { recursive: true });
    for (const id of ['replay-cohort', 'replay-triggered']) {
      const history = await h.env.client.workflow.getHandle(id).fetchHistory();
      writeFileSync(join(dir, `${id}.json`), historyToJSON(history));
    }
  } finally {
    await h.close();
  }
}

async function record(): Promise<void> {
  const h = await startHarness();
  try {
    await insertCustomers(
      h.db.pool,
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    await insertOrder(h.db.pool, {
      customerId: 3,
      at: new Date('2024-06-01T00:00:00Z'),
      items: [{ category: 'food', amount: 80 }],
    });
    const plan = compile(fixture);
    const { journeyId, versionId, runId } = await publish(h.db.pool, plan, 'audience');
    const workflowId = 'replay-audience';
    await h.env.client.workflow.execute(audienceRun, {
      taskQueue: h.env.taskQueue,
      workflowId,
      args: [{ runId: runId as string, journeyId, versionId, plan, shardSize: 10 }],
    });
    mkdirSync(dir, { recursive: true });
    for (const id of [workflowId, shardWorkflowId(workflowId, 0), shardWorkflowId(workflowId, 1)]) {
      const history = await h.env.client.workflow.getHandle(id).fetchHistory();
      writeFileSync(join(dir, `${id.replaceAll(':', '_')}.json`), historyToJSON(history));
    }
  } finally {
    await h.close();
  }
}

describe('replay of recorded histories', () => {
  it('replays every recorded history with the current workflow code', async () => {
    if (
      process.env.HUITOU_RECORD_HISTORIES ||
      !existsSync(dir) ||
      readdirSync(dir).filter((f) => f.endsWith('.json')).length === 0
    )
      await record();
    if (process.env.HUITOU_RECORD_HISTORIES || !existsSync(join(dir, 'replay-cohort.json'))) await recordTriggered();
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(5);
    const histories = files.map((f) => ({
      workflowId: f.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(dir, f), 'utf8'))),
    }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
