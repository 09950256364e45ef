// A custom activity as a palette node, end to end on the embedded Temporal server and Postgres:
// action.points is in the palette the builder reads, a published journey with it runs, points go
// to every treatment member exactly once (none to the holdout, none twice when the worker fails
// after awarding and Temporal retries), and the action shows in the figures reports read from
// action_ledger, like the built-in actions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formFields, journeyEdge as edge, journeyNode as node, nodeTypes, palette } from '@huitou/schemas';
import type { JourneyGraphInput } from '@huitou/schemas';
import { assignHoldout } from '@huitou/schemas/holdout';
import { createJourneyActivities } from '@huitou/activities';
import type { ActionResult } from '@huitou/activities';
import { audienceRun } from '@huitou/workflows';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import { ledgerFigures } from '../../engine/src/simulate/figures.ts';
import type { Database } from '../../engine/src/db/connect.ts';
import { insertCustomers } from '../integration/db/fixtures.ts';
import { openTestDatabase } from '../integration/db/test-database.ts';
import { createLaneTestEnv } from '../support/temporal-lane.ts';
import { compile, publish, sortNumbers, workflowBundle } from './support.ts';

const CUSTOMERS = Array.from({ length: 12 }, (_, i) => i + 1);
const HOLDOUT = 0.25;
/** A run id whose holdout draw over the 12 customers has both arms (2 held out, 10 treated). */
const RUN_ID = '0b5e1c2a-7d3f-4a8e-9c61-2f4d8e1a3b57';

const pointsJourney: JourneyGraphInput = {
  name: 'welcome points',
  settings: { holdoutPercent: HOLDOUT * 100 },
  nodes: [
    node('entry', 'entry.audience', { segment: { where: { kind: 'all', of: [] }, exclude: [] } }, 0, 0),
    node('points', 'action.points', { points: 30 }, 1, 0),
    node('done', 'exit', {}, 2, 0),
  ],
  edges: [edge('entry', 'points'), edge('points', 'done')],
};

describe('custom action node: action.points', () => {
  let db: Database;
  let env: TestEnv;
  /** Every awardPoints attempt the worker made, in order; the first one fails after awarding. */
  const attempts: ActionResult[] = [];

  beforeAll(async () => {
    db = await openTestDatabase();
    await insertCustomers(db.pool, CUSTOMERS);
    const real = createJourneyActivities({ pool: db.pool });
    const activities = {
      ...real,
      awardPoints: async (call: unknown) => {
        const result = await real.awardPoints(call);
        attempts.push(result);
        if (attempts.length === 1) throw new Error('worker lost after awarding, before reporting');
        return result;
      },
    };
    env = await createLaneTestEnv({ worker: { workflowBundle: await workflowBundle(), activities } });
  });
  afterAll(async () => {
    await env?.shutdown();
    await db?.close();
  });

  it('is in the palette the builder reads, with its labels, icon and form', () => {
    const actions = palette().find((g) => g.category === 'action');
    expect(actions?.types.find((t) => t.type === 'action.points')).toEqual({
      type: 'action.points',
      label: { zh: '积分', en: 'Award points' },
      description: nodeTypes['action.points'].description,
      icon: 'star',
    });
    expect(formFields(nodeTypes['action.points'].config).map((f) => [f.key, f.hint.widget, f.required])).toEqual([
      ['points', 'number', true],
    ]);
  });

  it('awards points once per treatment member, none to the holdout, through a retry, and reports them', async () => {
    const plan = compile(pointsJourney);
    expect(plan.nodes.points).toMatchObject({ type: 'action.points', activity: 'awardPoints', params: { points: 30 } });
    const { journeyId, versionId, runId } = await publish(db.pool, plan, 'audience', RUN_ID);
    const handle = await env.client.workflow.start(audienceRun, {
      taskQueue: env.taskQueue,
      workflowId: `audience-${runId}`,
      args: [{ runId: runId as string, journeyId, versionId, plan, shardSize: 5 }],
    });
    const result = await handle.result();

    const treatment = CUSTOMERS.filter((id) => !assignHoldout(runId as string, id, HOLDOUT));
    expect(treatment.length).toBeGreaterThan(0);
    expect(treatment.length).toBeLessThan(CUSTOMERS.length);
    expect(result.counts.points).toEqual({ entered: 12, waiting: 0, exited: 0, ports: { out: 12 }, evaluations: 0 });

    // One attempt per shard plus the retry of the failed one, which found its work in the ledger.
    expect(attempts).toHaveLength(result.shards + 1);
    const retry = attempts
      .slice(1)
      .find((a) => a.done === 0 && a.alreadyDone === attempts[0].done && a.treatment === attempts[0].treatment);
    expect(retry).toBeDefined();
    expect(attempts.reduce((n, a) => n + a.done, 0)).toBe(treatment.length);

    const { rows } = await db.pool.query<{ customer_id: string; points: number }>(
      'SELECT customer_id, points FROM loyalty_points WHERE run_id = $1 ORDER BY customer_id',
      [runId],
    );
    expect(rows.map((r) => [Number(r.customer_id), r.points])).toEqual(sortNumbers(treatment).map((id) => [id, 30]));

    // Reports count non-SMS actions from action_ledger (kind 'custom' here), per node.
    const figures = await ledgerFigures(db.pool);
    expect(figures.actions.get('points')).toEqual({ done: treatment.length, skipped: {} });
  });
});
