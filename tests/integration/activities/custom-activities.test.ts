import { ApplicationFailure } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Database } from '../../../engine/src/db/connect.ts';
import { activityNames, nodeTypeIds, nodeTypes } from '@huitou/schemas';
import {
  CUSTOM_FAILURE,
  awardPoints,
  bindCustomActivities,
  customActivities,
  defineActivity,
} from '../../../activities/src/custom/index.ts';
import { createJourneyActivities } from '../../../activities/src/index.ts';
import { insertCustomers, insertRun } from '../db/fixtures.ts';
import { describeEngine, openTestDatabase } from '../db/test-database.ts';
import { never, setJourneyState } from './helpers.ts';

const failureOf = async (p: Promise<unknown>) => {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
};

describe('defineActivity', () => {
  const lookup = defineActivity({
    name: 'loyaltyTier',
    input: z.object({ customerId: z.int().positive() }),
    output: z.object({ tier: z.enum(['silver', 'gold']) }),
    run: async ({ customerId }, ctx: { tiers: Record<number, string> }) => ({
      tier: ctx.tiers[customerId] as 'silver' | 'gold',
    }),
  });
  const fn = lookup.bind({ tiers: { 1: 'gold', 2: 'platinum' } });

  it('validates input and output and runs in between', async () => {
    expect(await fn({ customerId: 1 })).toEqual({ tier: 'gold' });
  });

  it('rejects bad input with each issue and its path, without retries', async () => {
    const failure = await failureOf(fn({ customerId: -3 }));
    expect(failure.type).toBe(CUSTOM_FAILURE.input);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/^loyaltyTier: invalid input: customerId: /);
  });

  it('rejects output that breaks its schema (a bug in run)', async () => {
    const failure = await failureOf(fn({ customerId: 2 }));
    expect(failure.type).toBe(CUSTOM_FAILURE.output);
    expect(failure.message).toMatch(/^loyaltyTier: invalid output: tier: /);
  });

  it('checks names: format, duplicates, built-ins', () => {
    expect(() =>
      defineActivity({ name: 'Bad-Name', input: z.null(), output: z.null(), run: async () => null }),
    ).toThrow(/camelCase/);
    expect(() => bindCustomActivities([lookup, lookup], { tiers: {} })).toThrow(
      /two custom activities are named loyaltyTier/,
    );
    expect(() => bindCustomActivities([lookup], { tiers: {} }, ['loyaltyTier'])).toThrow(/built-in/);
  });
});

describe(`worked example: awardPoints (${describeEngine('configured')})`, () => {
  let db: Database;
  let runId: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    await insertCustomers(db.pool, [1, 2, 3, 4]);
    runId = await insertRun(
      db.pool,
      [1, 2, 3, 4].map((customerId) => ({ customerId, shard: 0, holdout: customerId === 4 })),
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  const call = () => ({
    ref: { runId, shard: 0, cohort: 'root' },
    journeyId: 'j',
    versionId: 'v',
    nodeId: 'points',
    params: { points: 50 },
    settings: {},
    cycles: [{ loop: 'L', cycle: 1, startedAt: 0 }],
    enteredAt: 0,
    now: 0,
  });

  it('awards points to the treatment arm exactly once', async () => {
    const activities = bindCustomActivities(customActivities, { pool: db.pool, now: never });
    await setJourneyState(db.pool, runId, 'paused');
    expect(await activities.awardPoints(call())).toEqual({
      treatment: 3,
      holdout: 1,
      done: 0,
      alreadyDone: 0,
      skipped: { paused: 3 },
    });
    await setJourneyState(db.pool, runId, 'running');
    expect(await activities.awardPoints(call())).toEqual({
      treatment: 3,
      holdout: 1,
      done: 3,
      alreadyDone: 0,
      skipped: {},
    });
    expect(await activities.awardPoints(call())).toEqual({
      treatment: 3,
      holdout: 1,
      done: 0,
      alreadyDone: 3,
      skipped: {},
    });
    const { rows } = await db.pool.query<{ customer_id: string; points: number }>(
      'SELECT customer_id, points FROM loyalty_points ORDER BY customer_id',
    );
    expect(rows.map((r) => [Number(r.customer_id), r.points])).toEqual([
      [1, 50],
      [2, 50],
      [3, 50],
    ]);
  });

  it('a node whose params do not match fails clearly', async () => {
    const fn = awardPoints.bind({ pool: db.pool, now: never });
    const failure = await failureOf(fn({ ...call(), params: { points: 0 } }));
    expect(failure.message).toMatch(/^awardPoints: invalid input: params\.points: /);
  });
});

describe(`the journey activities object (${describeEngine('configured')})`, () => {
  let db: Database;
  let runId: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    await insertCustomers(db.pool, [1, 2, 3]);
    runId = await insertRun(
      db.pool,
      [1, 2, 3].map((customerId) => ({ customerId, shard: 0, holdout: customerId === 3 })),
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  it('registers every activity a node type names (the compile-time check, at run time)', () => {
    const registered = Object.keys(createJourneyActivities({ pool: db.pool }));
    expect(activityNames.filter((name) => !registered.includes(name))).toEqual([]);
    const actions = nodeTypeIds.filter((id) => nodeTypes[id].category === 'action');
    expect(actions.every((id) => id.startsWith('action.'))).toBe(true);
    expect(actions.map((id) => nodeTypes[id].activity)).toContain('awardPoints');
  });

  it('runs awardPoints as an action: a pause defers the members like the built-in actions', async () => {
    const activities = createJourneyActivities({ pool: db.pool, now: never });
    const call = {
      ref: { runId, shard: 0, cohort: 'root' },
      journeyId: 'j',
      versionId: 'v',
      nodeId: 'points',
      params: { points: 5 },
      settings: {},
      cycles: [],
      enteredAt: 0,
      now: 0,
    };
    await setJourneyState(db.pool, runId, 'paused');
    expect(await activities.awardPoints(call)).toEqual({
      treatment: 2,
      holdout: 1,
      done: 0,
      alreadyDone: 0,
      skipped: { paused: 2 },
      deferred: { members: 2, reasons: { paused: 2 } },
    });
    await setJourneyState(db.pool, runId, 'running');
    expect(await activities.awardPoints(call)).toEqual({
      treatment: 2,
      holdout: 1,
      done: 2,
      alreadyDone: 0,
      skipped: {},
    });
    const { rows } = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM action_ledger WHERE run_id = $1 AND kind = 'custom' AND status = 'done'",
      [runId],
    );
    expect(rows[0].n).toBe(2);
  });
});
