// The entry's re-entry rule across the runs of a recurring schedule (time-skipping server, real
// worker): each occurrence snapshots the segment as it is then, minus whom the rule refuses against
// the journey's earlier runs: `never` everyone who was a member, `after_exit` members still on their
// way (a removed member is back), `cooldown` members who entered within the window.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDueRuns } from '../../../engine/src/scheduler/schedule.ts';
import type { TestEnv } from '../../../engine/src/temporal/test-env.ts';
import { insertCustomers } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import { DAY } from '../../workflows/support.ts';
import type { TestApi } from './helpers.ts';
import { startTestApiOnTemporal, until, waitThenSms } from './helpers.ts';
import { onTimeSkippingLane } from '../../support/temporal-lane.ts';

let clock = new Date('2030-07-01T00:00:00Z');
const at = (instant: string) => (clock = new Date(instant));

describe(`re-entry across a schedule's runs (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let env: TestEnv;

  beforeAll(async () => {
    ({ api, env } = await startTestApiOnTemporal({ now: () => clock }));
    await insertCustomers(api.db.pool, [1, 2, 3]);
  });
  afterAll(async () => api?.close());

  /** A published copy of waitThenSms (two days' wait) with this re-entry rule, on a daily schedule at `time` UTC. */
  const scheduled = async (reentry: unknown, time: string): Promise<string> => {
    const draft = structuredClone(waitThenSms) as { nodes: { config: Record<string, unknown> }[] };
    draft.nodes[0].config.reentry = reentry;
    const journeyId = (await api.call('POST', '/api/journeys', { role: 'marketer', body: { draft } })).body.id;
    expect((await api.call('POST', `/api/journeys/${journeyId}/publish`, { role: 'marketer', body: {} })).status).toBe(
      201,
    );
    const schedule = await api.call('POST', `/api/journeys/${journeyId}/schedules`, {
      role: 'marketer',
      body: { every: 'day', at: time, timeZone: 'UTC' },
    });
    expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
    return journeyId;
  };
  /** Members of each of the journey's runs, oldest run first, once every run has its snapshot. */
  const membersByRun = (journeyId: string, runs: number) =>
    until(`${runs} snapshots`, async () => {
      const { rows } = await api.db.pool.query<{ id: string; members: string[] | null; snapshotted: boolean }>(
        `SELECT r.id, r.member_count IS NOT NULL AS snapshotted,
                (SELECT array_agg(m.customer_id ORDER BY m.customer_id) FROM run_members m WHERE m.run_id = r.id) AS members
         FROM runs r WHERE r.journey_id = $1 ORDER BY r.created_at`,
        [journeyId],
      );
      return (
        rows.length === runs &&
        rows.every((r) => r.snapshotted) &&
        rows.map((r) => ({ id: r.id, members: (r.members ?? []).map(Number) }))
      );
    });

  it.runIf(onTimeSkippingLane())('never, after_exit and cooldown over two consecutive occurrences', async () => {
    at('2030-07-01T00:00:00Z');
    const never = await scheduled({ kind: 'never' }, '09:30');
    const afterExit = await scheduled({ kind: 'after_exit' }, '09:30');
    const shortCooldown = await scheduled({ kind: 'cooldown', after: { amount: 1, unit: 'days' } }, '12:00');
    const longCooldown = await scheduled({ kind: 'cooldown', after: { amount: 30, unit: 'days' } }, '12:00');

    // Occurrence 1: everyone enters every journey.
    at('2030-07-01T12:00:00Z');
    expect(await startDueRuns(api.deps, clock)).toHaveLength(4);
    for (const journeyId of [never, afterExit, shortCooldown, longCooldown])
      expect((await membersByRun(journeyId, 1))[0].members).toEqual([1, 2, 3]);

    // Before occurrence 2 a new customer arrives and customer 1 is removed from after_exit's first run.
    await insertCustomers(api.db.pool, [4]);
    const [firstAfterExit] = await membersByRun(afterExit, 1);
    expect((await api.call('DELETE', `/api/runs/${firstAfterExit.id}/members/1`, { role: 'ops' })).status).toBe(200);
    at('2030-07-02T09:30:00Z');
    expect(await startDueRuns(api.deps, clock)).toHaveLength(2);
    // The first runs still wait out their two days: after_exit keeps 2 and 3 out, takes back 1.
    expect((await membersByRun(never, 2))[1].members).toEqual([4]);
    expect((await membersByRun(afterExit, 2))[1].members).toEqual([1, 4]);

    // Two days of server time later (the first runs have entered two days ago), occurrence 2 of the cooldowns.
    await env.sleep(2 * DAY);
    at('2030-07-02T12:00:00Z');
    expect(await startDueRuns(api.deps, clock)).toHaveLength(2);
    expect((await membersByRun(shortCooldown, 2))[1].members).toEqual([1, 2, 3, 4]);
    expect((await membersByRun(longCooldown, 2))[1].members).toEqual([4]);
  });

  it('a run started by hand is not an occurrence: it takes the whole segment', async () => {
    const journeyId = (await api.call('POST', '/api/journeys', { role: 'marketer', body: { draft: waitThenSms } })).body
      .id;
    expect((await api.call('POST', `/api/journeys/${journeyId}/publish`, { role: 'marketer', body: {} })).status).toBe(
      201,
    );
    // Two live runs of one version on purpose: the second one asks for it (allowConcurrent).
    for (let i = 0; i < 2; i++)
      expect(
        (
          await api.call('POST', `/api/journeys/${journeyId}/runs`, {
            role: 'marketer',
            body: { allowConcurrent: true },
          })
        ).status,
      ).toBe(201);
    // Every customer, however many the test before added.
    const everyone = (await api.db.pool.query<{ id: string }>('SELECT id FROM customers ORDER BY id')).rows.map((r) =>
      Number(r.id),
    );
    expect(everyone.length).toBeGreaterThanOrEqual(3);
    expect((await membersByRun(journeyId, 2)).map((r) => r.members)).toEqual([everyone, everyone]);
  });
});
