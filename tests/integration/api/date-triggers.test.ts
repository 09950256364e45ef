// Date-triggered journeys (entry.date) on the time-skipping server with the real worker: the
// scheduler's daily scan, run at chosen instants of the engine's clock, admits exactly the day's
// customers as triggered runs keyed `customer:<id>:<date>` (once, however often or concurrently it
// ticks, also after a restart that lost its progress), none while the journey is paused, the
// holdout drawn deterministically; the gallery's birthday and replenishment templates admit demo
// shop customers found by SQL of the test's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignHoldout } from '@huitou/schemas/holdout';
import { journeyTemplates } from '@huitou/schemas';
import { cohortWorkflowId } from '@huitou/workflows';
import { memberRuns } from '../../support/cohorts.ts';
import { scanDateTriggers } from '../../../engine/src/date-scan/date-triggers.ts';
import { seedDemoShop, DEFAULT_REFERENCE_DATE } from '../../../engine/src/demo/seed.ts';
import { compileSegment } from '../../../activities/src/segments/compile.ts';
import type { TestEnv } from '../../../engine/src/temporal/test-env.ts';
import { insertCustomers, insertOrder } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import { MINUTE, ledger, sortNumbers, waitFor } from '../../workflows/support.ts';
import type { TestApi } from './helpers.ts';
import { auditActions, startTestApiOnTemporal, until } from './helpers.ts';
import { onTimeSkippingLane } from '../../support/temporal-lane.ts';

let clock = new Date('2030-03-01T00:00:00Z');
const at = (instant: string) => (clock = new Date(instant));

const everyone = { where: { kind: 'all', of: [] }, exclude: [{ kind: 'opted_out' }] };
const dateJourney = (name: string, rule: Record<string, unknown>, holdoutPercent: number) => ({
  name,
  settings: { holdoutPercent, sms: { signature: '【测试店】' } },
  nodes: [
    { id: 'entry', type: 'entry.date', position: { x: 0, y: 0 }, config: { rule, checkAt: '10:00', filter: everyone } },
    { id: 'wish', type: 'action.sms', position: { x: 1, y: 0 }, config: { template: '{nickname}，送您一张生日券' } },
    { id: 'exit', type: 'exit', position: { x: 2, y: 0 }, config: {} },
  ],
  edges: [
    { source: 'entry', sourcePort: 'out', target: 'wish' },
    { source: 'wish', sourcePort: 'out', target: 'exit' },
  ],
});

describe(`date-triggered journeys (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let env: TestEnv;

  const scan = () => scanDateTriggers(api.deps, clock);
  const publish = async (draft: unknown): Promise<string> => {
    const created = await api.call('POST', '/api/journeys', { role: 'marketer', body: { draft } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const published = await api.call('POST', `/api/journeys/${created.body.id}/publish`, {
      role: 'marketer',
      body: {},
    });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    return created.body.id;
  };
  /** The journey's members, each with its cohort run and its own trigger key. */
  const runsOf = (journeyId: string) => memberRuns(api.db.pool, journeyId);
  /**
   * The SMS of a journey's runs once `n` rows are in the ledger and none is still pending (a row
   * is written before the provider call and settled after it; server time passes meanwhile).
   */
  const sentBy = async (journeyId: string, n: number) => {
    return waitFor(
      env,
      async () => {
        const ids = new Set((await runsOf(journeyId)).map((r) => r.id));
        const rows = (await ledger(api.db.pool)).filter((m) => ids.has(m.runId));
        return rows.length >= n && rows.every((m) => m.status !== 'pending') && rows;
      },
      { stepMs: 10 * MINUTE, maxMs: 24 * 60 * MINUTE },
    );
  };

  beforeAll(async () => {
    ({ api, env } = await startTestApiOnTemporal({ now: () => clock }));
  });
  afterAll(async () => api?.close());

  it.runIf(onTimeSkippingLane())(
    "birthdays: at the check time exactly today's enter and get the SMS; ticks again add nothing; the next day tomorrow's; paused, none",
    async () => {
      await insertCustomers(api.db.pool, [1, 2, 3, 4, 5, 6]);
      const birthdays: Record<number, string | null> = {
        1: '2000-03-10',
        2: '1990-03-11',
        3: '1988-07-01',
        4: null,
        5: '1995-03-10',
        6: '1999-03-12',
      };
      for (const [id, birthday] of Object.entries(birthdays))
        await api.db.pool.query('UPDATE customers SET birthday = $2 WHERE id = $1', [id, birthday]);
      // Customer 5 has a birthday today but replied T: the entry's filter excludes opted-out buyers.
      await api.db.pool.query(
        `INSERT INTO opt_outs (recipient, customer_id, source) SELECT phone, id, 'T' FROM customers WHERE id = 5`,
      );
      const journeyId = await publish(dateJourney('birthday', { on: 'birthday' }, 0));

      // 09:59 in Shanghai: not yet. 10:00: today's birthday (customer 1), once.
      at('2030-03-10T01:59:00Z');
      expect(await scan()).toEqual([]);
      at('2030-03-10T02:00:00Z');
      expect(await scan()).toEqual([{ journeyId, date: '2030-03-10', found: 1, started: 1 }]);
      expect(await scan()).toEqual([]);
      at('2030-03-10T09:00:00Z');
      expect((await Promise.all([scan(), scan()])).flat()).toEqual([]);
      // The member row is the day's cohort's admission (admitCohort), moments after the signal.
      expect(await until('the run', async () => (await runsOf(journeyId)).length > 0 && runsOf(journeyId))).toEqual([
        { id: expect.any(String), trigger_key: 'customer:1:2030-03-10' },
      ]);
      const handle = env.client.workflow.getHandle(cohortWorkflowId(journeyId, 'date-2030-03-10'));
      expect((await handle.describe()).type).toBe('triggeredCohort');
      const first = await sentBy(journeyId, 1);
      expect(first.map((m) => [m.node, m.customerId, m.status, m.triggerKey, m.inSink])).toEqual([
        ['wish', 1, 'sent', 'customer:1:2030-03-10', true],
      ]);

      // The next day: tomorrow's birthday (customer 2), from one of two engines ticking at once.
      at('2030-03-11T01:00:00Z');
      expect(await scan()).toEqual([]);
      at('2030-03-11T03:00:00Z');
      expect((await Promise.all([scan(), scan()])).flat()).toEqual([
        { journeyId, date: '2030-03-11', found: 1, started: 1 },
      ]);
      // A restart that lost the day's progress (a crash before the commit) scans again and starts nothing twice.
      await api.db.pool.query(`UPDATE date_scans SET scanned_date = '2030-03-10' WHERE journey_id = $1`, [journeyId]);
      expect(await scan()).toEqual([{ journeyId, date: '2030-03-11', found: 1, started: 0 }]);
      const second = await sentBy(journeyId, 2);
      expect(second.map((m) => [m.customerId, m.status, m.triggerKey])).toEqual([
        [1, 'sent', 'customer:1:2030-03-10'],
        [2, 'sent', 'customer:2:2030-03-11'],
      ]);

      // Paused at the check time: no entries; resumed the same day, the day's scan runs then.
      // Set in Postgres: POST /journeys/:id/pause answers 409 while the journey has runs whose
      // workflows ended (their rows stay 'running'), which both of these have.
      await api.db.pool.query(`UPDATE journeys SET state = 'paused' WHERE id = $1`, [journeyId]);
      at('2030-03-12T02:30:00Z');
      expect(await scan()).toEqual([]);
      await api.db.pool.query(`UPDATE journeys SET state = 'published' WHERE id = $1`, [journeyId]);
      at('2030-03-12T05:00:00Z');
      expect(await scan()).toEqual([{ journeyId, date: '2030-03-12', found: 1, started: 1 }]);
      await sentBy(journeyId, 3);
      expect((await runsOf(journeyId)).map((r) => r.trigger_key)).toEqual([
        'customer:1:2030-03-10',
        'customer:2:2030-03-11',
        'customer:6:2030-03-12',
      ]);
      expect((await auditActions(api, journeyId)).filter((a) => a === 'journey.date_scan')).toHaveLength(4);
      expect((await api.call('POST', `/api/journeys/${journeyId}/stop`, { role: 'ops' })).status).toBe(200);
    },
  );

  it.runIf(onTimeSkippingLane())(
    'replenishment: last purchase exactly N local days ago; the holdout is the deterministic hash and gets no SMS',
    async () => {
      const ids = Array.from({ length: 20 }, (_, i) => 100 + i);
      await insertCustomers(api.db.pool, [...ids, 200, 201, 202]);
      // 35 Shanghai days before 2030-06-01 is 2030-04-27 (late in the day, early UTC date: the local day counts).
      for (const id of ids)
        await insertOrder(api.db.pool, {
          customerId: id,
          at: new Date('2030-04-27T23:30:00+08:00'),
          items: [{ category: 'food', amount: 199 }],
        });
      await insertOrder(api.db.pool, {
        customerId: 200,
        at: new Date('2030-04-28T00:30:00+08:00'),
        items: [{ category: 'food', amount: 199 }],
      }); // 34 days
      await insertOrder(api.db.pool, {
        customerId: 201,
        at: new Date('2030-04-26T12:00:00+08:00'),
        items: [{ category: 'food', amount: 199 }],
      }); // 36 days
      await insertOrder(api.db.pool, {
        customerId: 202,
        at: new Date('2030-04-27T12:00:00+08:00'),
        items: [{ category: 'food', amount: 199 }],
      });
      await insertOrder(api.db.pool, {
        customerId: 202,
        at: new Date('2030-05-20T12:00:00+08:00'),
        items: [{ category: 'food', amount: 99 }],
      }); // bought again since
      const journeyId = await publish(dateJourney('replenish', { on: 'days_after_last_purchase', days: 35 }, 50));

      at('2030-06-01T02:00:00Z');
      expect(await scan()).toEqual([{ journeyId, date: '2030-06-01', found: 20, started: 20 }]);
      const members = await until('all 20 admitted', async () => {
        const { rows } = await api.db.pool.query<{ run_id: string; customer_id: string; holdout: boolean }>(
          'SELECT m.run_id, m.customer_id, m.holdout FROM run_members m JOIN runs r ON r.id = m.run_id WHERE r.journey_id = $1 ORDER BY m.customer_id',
          [journeyId],
        );
        return rows.length === 20 && rows;
      });
      expect(members.map((m) => Number(m.customer_id))).toEqual(ids);
      for (const m of members) expect(m.holdout).toBe(assignHoldout(m.run_id, Number(m.customer_id), 0.5));
      const treatment = members.filter((m) => !m.holdout).map((m) => Number(m.customer_id));
      // Every treatment member gets the SMS (the holdout members exit without one).
      const sent = treatment.length === 0 ? [] : await sentBy(journeyId, treatment.length);
      expect(sortNumbers(sent.map((m) => m.customerId))).toEqual(treatment);
      await until('every run exited', async () => {
        const { rows } = await api.db.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM run_members m JOIN runs r ON r.id = m.run_id WHERE r.journey_id = $1 AND m.exited_at IS NOT NULL',
          [journeyId],
        );
        return rows[0].n === 20;
      });
      expect(
        sortNumbers(
          (await ledger(api.db.pool)).filter((m) => members.some((x) => x.run_id === m.runId)).map((m) => m.customerId),
        ),
      ).toEqual(treatment);
      expect((await api.call('POST', `/api/journeys/${journeyId}/stop`, { role: 'ops' })).status).toBe(200);
    },
  );
});

describe(`date-triggered templates on the demo shop (${describeEngine('configured')})`, () => {
  let api: TestApi;
  const scan = () => scanDateTriggers(api.deps, clock);

  beforeAll(async () => {
    ({ api } = await startTestApiOnTemporal({ now: () => clock }));
    await seedDemoShop(api.db.pool, { customers: 2000 });
  });
  afterAll(async () => api?.close());

  it("the gallery's birthday and replenishment templates admit the demo shop's customers of the day", async () => {
    const fromGallery = async (templateId: string): Promise<string> => {
      const created = await api.call('POST', `/api/templates/${templateId}/journeys`, { role: 'marketer', body: {} });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const draft = created.body.draft;
      draft.settings = { ...draft.settings, sms: { ...draft.settings.sms, link: 'https://s.example/r' } };
      expect(
        (await api.call('PUT', `/api/journeys/${created.body.id}/draft`, { role: 'marketer', body: { draft } })).status,
      ).toBe(200);
      const published = await api.call('POST', `/api/journeys/${created.body.id}/publish`, {
        role: 'marketer',
        body: {},
      });
      expect(published.status, JSON.stringify(published.body)).toBe(201);
      return created.body.id;
    };
    const admitted = async (journeyId: string, n: number) =>
      until(`${n} admitted`, async () => {
        const { rows } = await api.db.pool.query<{ id: string }>(
          'SELECT m.customer_id AS id FROM run_members m JOIN runs r ON r.id = m.run_id WHERE r.journey_id = $1 ORDER BY m.customer_id',
          [journeyId],
        );
        return rows.length === n && rows.map((r) => Number(r.id));
      });

    // Birthday care (3 days ahead, buyers, not opted out): the scan day is three days before the
    // buyers' most common birthday, so the day surely has entrants.
    const birthdayJourney = await fromGallery('birthdayCare');
    const buyers = `FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.paid_at IS NOT NULL AND o.status <> 'refunded')
      AND NOT EXISTS (SELECT 1 FROM opt_outs x WHERE x.channel = 'sms' AND (x.customer_id = c.id OR x.recipient = c.phone))`;
    const {
      rows: [top],
    } = await api.db.pool.query<{ md: string }>(
      `SELECT to_char(c.birthday, 'MM-DD') AS md ${buyers} AND c.birthday IS NOT NULL AND to_char(c.birthday, 'MM-DD') BETWEEN '01-04' AND '12-28'
         AND to_char(c.birthday, 'MM-DD') NOT IN ('02-28', '02-29')
       GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
    );
    const { rows: born } = await api.db.pool.query<{ id: string }>(
      `SELECT c.id ${buyers} AND to_char(c.birthday, 'MM-DD') = $1 ORDER BY c.id`,
      [top.md],
    );
    const day = new Date(Date.UTC(2027, Number(top.md.slice(0, 2)) - 1, Number(top.md.slice(3)) - 3))
      .toISOString()
      .slice(0, 10);
    at(`${day}T02:00:00Z`);
    const scans = await scan();
    expect(scans).toEqual([{ journeyId: birthdayJourney, date: day, found: born.length, started: born.length }]);
    expect(await admitted(birthdayJourney, born.length)).toEqual(born.map((r) => Number(r.id)));
    expect((await api.call('POST', `/api/journeys/${birthdayJourney}/stop`, { role: 'ops' })).status).toBe(200);

    // Replenishment (35 days after the last purchase, with the template's filter): on the demo
    // shop's last day, the buyers whose last payment was 35 Shanghai days before.
    const replenishJourney = await fromGallery('replenishment');
    at(`${DEFAULT_REFERENCE_DATE}T02:00:00Z`);
    const { rows: lapsed } = await api.db.pool.query<{ id: string }>(
      `SELECT c.id FROM customers c
       WHERE ((SELECT max(o.paid_at) FROM orders o WHERE o.customer_id = c.id AND o.paid_at IS NOT NULL AND o.status <> 'refunded') AT TIME ZONE 'Asia/Shanghai')::date = $1::date - 35
       ORDER BY c.id`,
      [DEFAULT_REFERENCE_DATE],
    );
    const entryConfig = journeyTemplates.replenishment.nodes[0].config as { filter: never };
    const filter = compileSegment(entryConfig.filter, { asOf: clock, timeZone: 'Asia/Shanghai' });
    const passing = new Set(
      (await api.db.pool.query<{ customer_id: string }>(filter.sql, [...filter.params])).rows.map((r) =>
        Number(r.customer_id),
      ),
    );
    const expected = lapsed.map((r) => Number(r.id)).filter((id) => passing.has(id));
    expect(expected.length).toBeGreaterThan(0);
    expect(await scan()).toEqual([
      { journeyId: replenishJourney, date: DEFAULT_REFERENCE_DATE, found: expected.length, started: expected.length },
    ]);
    expect(await admitted(replenishJourney, expected.length)).toEqual(expected);
    expect((await api.call('POST', `/api/journeys/${replenishJourney}/stop`, { role: 'ops' })).status).toBe(200);
  });
});
