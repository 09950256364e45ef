// A/B results in the reports: a random split's arms compared with each other. The journeys are
// published through the API (their plans name the split and its arms); the measured figures are
// seeded as the other report tests seed them: evaluations per shard for a run's report, members,
// orders and texts for a triggered journey's report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomers, insertOrder } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import { audienceAbJourney, triggeredAbJourney } from '../../support/ab-journeys.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

const figures = (targets: number, buyers: number) =>
  JSON.stringify({
    targets,
    sent: targets,
    delivered: targets,
    billedSegments: targets,
    buyers,
    orders: buyers,
    sales: buyers * 100,
    cost: targets * 0.05,
  });

describe(`A/B results in the reports (${describeEngine('configured')})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.close());

  /** Publishes the draft; returns the journey and its version. */
  const publish = async (draft: unknown) => {
    const created = await api.call('POST', '/api/journeys', { role: 'marketer', body: { draft } });
    expect(created.status, created.text).toBe(201);
    const published = await api.call('POST', `/api/journeys/${created.body.id}/publish`, {
      role: 'marketer',
      body: {},
    });
    expect(published.status, published.text).toBe(201);
    const { rows } = await api.db.pool.query<{ id: string }>('SELECT id FROM journey_versions WHERE journey_id = $1', [
      created.body.id,
    ]);
    return { journeyId: created.body.id as string, versionId: rows[0].id };
  };

  describe("a run's report", () => {
    let journey: { journeyId: string; versionId: string };
    beforeAll(async () => {
      journey = await publish(audienceAbJourney());
    });

    /** A run of the published version whose checkpoint measured arm a and arm b (over two shards each). */
    const runWith = async (a: [number, number], b: [number, number]) => {
      const { rows } = await api.db.pool.query<{ id: string }>(
        "INSERT INTO runs (journey_id, version_id, kind, state) VALUES ($1, $2, 'audience', 'running') RETURNING id",
        [journey.journeyId, journey.versionId],
      );
      const runId = rows[0].id;
      const half = ([t, x]: [number, number], shard: number) =>
        shard === 0
          ? ([Math.ceil(t / 2), Math.ceil(x / 2)] as const)
          : ([Math.floor(t / 2), Math.floor(x / 2)] as const);
      for (const [cohort, arm] of [
        ['root/ab.a', a],
        ['root/ab.b', b],
      ] as const)
        for (const shard of [0, 1]) {
          const [t, x] = half(arm, shard);
          await api.db.pool.query(
            `INSERT INTO evaluations (evaluation_key, run_id, checkpoint, node_id, cycle, shard, cohort, window_start, window_end, treatment, holdout)
             VALUES ($1, $2, '第2天', 'eval', 0, $3, $4, '2026-11-12T00:00:00Z', '2026-11-14T00:00:00Z', $5, $6)`,
            [`${runId}/${cohort}/${shard}`, runId, shard, cohort, figures(t, x), figures(Math.round(t / 9), 0)],
          );
        }
      return runId;
    };

    it('compares the arms and names the winner once significant with enough members; CSV too', async () => {
      const runId = await runWith([1000, 200], [1000, 250]);
      const res = await api.call('GET', `/api/runs/${runId}/report`, { role: 'viewer' });
      expect(res.status, res.text).toBe(200);
      // Each arm against its holdout as before: one row per cohort.
      expect(res.body.rows.map((r: { group: string }) => r.group).sort()).toEqual(['root/ab.a', 'root/ab.b']);
      expect(res.body.ab).toHaveLength(1);
      const ab = res.body.ab[0];
      expect(ab).toMatchObject({ nodeId: 'ab', label: '文案 A/B', checkpoint: '第2天', cycle: 0 });
      expect(ab.arms.map((a: { key: string; name: string }) => [a.key, a.name])).toEqual([
        ['a', 'A 组'],
        ['b', 'B 组'],
      ]);
      expect(ab.arms[0].treatment).toMatchObject({ targets: 1000, buyers: 200, sales: 20000 });
      expect(ab.arms[1].treatment).toMatchObject({ targets: 1000, buyers: 250, sales: 25000 });
      expect(ab.arms[1].lift.significant).toBe(true); // b against its own holdout (nobody bought there)
      expect(ab.pairs).toHaveLength(1);
      expect(ab.pairs[0]).toMatchObject({ arm: 'b', versus: 'a' });
      expect(ab.pairs[0].absolute).toBeCloseTo(0.05, 12);
      expect(ab.pairs[0].relative).toBeCloseTo(0.25, 12);
      expect(ab.pairs[0].pValue).toBeCloseTo(0.0074, 3);
      expect(ab.verdict).toMatchObject({ winner: 'b', leader: 'b', reason: null, minMembers: 100 });

      const csv = await api.call('GET', `/api/runs/${runId}/report.csv?lang=en`, { role: 'viewer' });
      const tables = csv.text.slice(1).split('\r\n\r\n');
      expect(tables).toHaveLength(2);
      const lines = tables[1].trim().split('\r\n');
      expect(lines[0].startsWith('ab_split,checkpoint,cycle,line,arm,versus,')).toBe(true);
      expect(lines.slice(1).map((l) => l.split(',').slice(0, 6).join(','))).toEqual([
        'ab,第2天,0,arm,a,',
        'ab,第2天,0,arm,b,',
        'ab,第2天,0,pair,b,a',
        'ab,第2天,0,verdict,b,',
      ]);
      expect(lines[4].endsWith(',b,')).toBe(true);
    });

    it('no winner when the difference is not significant, and says so', async () => {
      const runId = await runWith([1000, 200], [1000, 215]);
      const ab = (await api.call('GET', `/api/runs/${runId}/report`, { role: 'viewer' })).body.ab[0];
      expect(ab.verdict).toMatchObject({ winner: null, leader: 'b', reason: 'not_significant' });
      expect(ab.verdict.margin.pValue).toBeGreaterThan(0.05);
    });

    it('no winner with too few members however large the difference', async () => {
      const runId = await runWith([60, 2], [60, 30]);
      const ab = (await api.call('GET', `/api/runs/${runId}/report`, { role: 'viewer' })).body.ab[0];
      expect(ab.verdict).toMatchObject({ winner: null, leader: 'b', reason: 'too_few_members' });
      expect(ab.pairs[0].significant).toBe(true);
    });
  });

  describe("a triggered journey's report", () => {
    it("compares the arms of the period's members by their cohort", async () => {
      const { journeyId, versionId } = await publish(triggeredAbJourney());
      const perArm = 150;
      const ids = Array.from({ length: 2 * perArm + 20 }, (_, i) => 1001 + i);
      await insertCustomers(api.db.pool, ids);
      const { rows } = await api.db.pool.query<{ id: string }>(
        `INSERT INTO runs (journey_id, version_id, kind, state) VALUES ($1, $2, 'triggered', 'running') RETURNING id`,
        [journeyId, versionId],
      );
      const runId = rows[0].id;
      const entered = new Date('2026-11-11T02:00:00Z'); // 10:00 in Shanghai
      // 1001-1150 arm a (30 buy), 1151-1300 arm b (75 buy), 1301-1320 holdout of arm b (2 buy).
      const armOf = (id: number) => (id <= 1000 + perArm ? 'a' : 'b');
      const holdout = (id: number) => id > 1000 + 2 * perArm;
      await api.db.pool.query(
        `INSERT INTO run_members (run_id, customer_id, shard, holdout, cohort, position, entered_at)
         SELECT $1, c, 0, c > $4, CASE WHEN c <= $3 THEN 'root/ab.a' ELSE 'root/ab.b' END, 'eval', $2
         FROM unnest($5::bigint[]) AS c`,
        [runId, entered, 1000 + perArm, 1000 + 2 * perArm, ids],
      );
      const buyers = ids.filter((id) => {
        const n = id - 1001;
        if (holdout(id)) return n % 10 === 0;
        return armOf(id) === 'a' ? n % 5 === 0 : n % 2 === 0;
      });
      for (const id of buyers)
        await insertOrder(api.db.pool, {
          customerId: id,
          at: new Date(entered.getTime() + 3600_000),
          items: [{ category: 'food', amount: 50 }],
        });
      const report = await api.call('GET', `/api/journeys/${journeyId}/report?period=day&from=2026-11-11`, {
        role: 'viewer',
      });
      expect(report.status, report.text).toBe(200);
      expect(report.body.entered).toBe(ids.length);
      expect(report.body.ab).toHaveLength(1);
      const ab = report.body.ab[0];
      expect(ab).toMatchObject({ nodeId: 'ab', checkpoint: null });
      expect(ab.arms.map((a: { treatment: { targets: number; buyers: number } }) => a.treatment)).toMatchObject([
        { targets: 150, buyers: 30, sales: 1500 },
        { targets: 150, buyers: 75, sales: 3750 },
      ]);
      expect(ab.arms[1].holdout).toMatchObject({ targets: 20, buyers: 2 });
      expect(ab.pairs[0].absolute).toBeCloseTo(0.5 - 0.2, 12);
      expect(ab.verdict).toMatchObject({ winner: 'b', reason: null });

      const csv = await api.call(
        'GET',
        `/api/journeys/${journeyId}/report?period=day&from=2026-11-11&format=csv&lang=en`,
        {
          role: 'viewer',
        },
      );
      expect(csv.text).toContain('\r\n\r\nab_split,');
      expect(csv.text).toContain('\r\nab,,0,verdict,b,');
    });
  });
});
