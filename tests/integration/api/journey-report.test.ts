// GET /api/journeys/:id/report: the 催付 template published and driven by order events through the
// API on the time-skipping server (the product's own path: intake, router, triggered runs, SMS
// ledger, receipts). Expected figures follow from each buyer's story and the holdout the product
// drew for them (half the members, so both arms are measured).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareArms } from '@huitou/activities/evaluation';
import { localDateOf } from '@huitou/activities/segments';
import { journeyTemplates } from '@huitou/schemas';
import type { TestEnv } from '../../../engine/src/temporal/test-env.ts';
import { describeEngine } from '../db/test-database.ts';
import { DAY, MINUTE, untilShanghaiMorning, waitFor } from '../../workflows/support.ts';
import { onTimeSkippingLane } from '../../support/temporal-lane.ts';
import type { TestApi } from './helpers.ts';
import { startTestApiOnTemporal } from './helpers.ts';

const TZ = 'Asia/Shanghai';
const UNIT_PRICE = 0.045;
const CHAIN = ['entry', 'split_large', 'wait_paid_1', 'good_hours_1', 'remind_1', 'wait_paid_2'];

/** Each buyer's story: the order, what happens, the nodes passed per arm, the SMS (treatment) and where it stands. */
interface Story {
  key: string;
  amount: number;
  converted: boolean;
  sms: string[];
  treatmentPath: string[];
  /** A holdout member leaves no ledger rows: only its recorded position tells its path. */
  holdoutPath: string[];
  position: string;
  exited: boolean;
}
const stories: Story[] = [
  {
    key: 'A',
    amount: 100,
    converted: true,
    sms: [],
    treatmentPath: ['entry', 'split_large', 'wait_paid_1', 'exit_paid'],
    holdoutPath: ['entry', 'split_large', 'wait_paid_1', 'exit_paid'],
    position: 'exit_paid',
    exited: true,
  },
  {
    key: 'B',
    amount: 200,
    converted: true,
    sms: ['remind_1'],
    treatmentPath: [...CHAIN, 'exit_paid'],
    holdoutPath: ['entry', 'split_large', 'wait_paid_1', 'exit_paid'],
    position: 'exit_paid',
    exited: true,
  },
  {
    key: 'C',
    amount: 300,
    converted: false,
    sms: ['remind_1', 'remind_2', 'sorry'],
    treatmentPath: [...CHAIN, 'good_hours_2', 'remind_2', 'wait_closed', 'sorry', 'exit_closed'],
    holdoutPath: [...CHAIN, 'good_hours_2', 'remind_2', 'wait_closed', 'sorry', 'exit_closed'],
    position: 'exit_closed',
    exited: true,
  },
  {
    key: 'D',
    amount: 2500,
    converted: false,
    sms: [],
    treatmentPath: ['entry', 'split_large', 'call_buyer', 'exit_handed_over'],
    holdoutPath: ['entry', 'split_large', 'call_buyer', 'exit_handed_over'],
    position: 'exit_handed_over',
    exited: true,
  },
  {
    key: 'E',
    amount: 50,
    converted: false,
    sms: ['remind_1', 'remind_2'],
    treatmentPath: [...CHAIN, 'good_hours_2', 'remind_2', 'wait_closed'],
    holdoutPath: [...CHAIN, 'good_hours_2', 'remind_2', 'wait_closed'],
    position: 'wait_closed',
    exited: false,
  },
];
/** The next day's buyer (just after local midnight): pays at once. */
const nextDay: Story = { ...stories[0], key: 'F', amount: 80 };
/** A buyer whose order came a minute before midnight and was routed after it: day D's. */
const lastMinute: Story = { ...stories[0], key: 'G', amount: 90 };
const dayStories = [...stories, lastMinute];
/** Receipts bill one segment a message, two for the apology. */
const billed = (node: string) => (node === 'sorry' ? 2 : 1);

// The whole suite lets server time pass (to Shanghai's morning, past midnight): its setup alone would
// wait that long in real time on a server without time skipping.
describe.runIf(onTimeSkippingLane())(`the report of a triggered journey (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let env: TestEnv;
  let journeyId: string;
  let audienceId: string;
  /** Local day D (the first buyers) and its start. */
  let dayD: string;
  const holdout = new Map<string, boolean>();
  const enteredAt = new Map<string, Date>();
  const runOf = new Map<string, string>();

  let keys = 0;
  const post = async (type: string, story: Story, extra: Record<string, unknown> = {}, at = env.now()) => {
    const res = await api.call('POST', '/api/events', {
      role: 'engineer',
      body: {
        idempotencyKey: `report-${(keys += 1)}`,
        type,
        customer: {
          externalId: `buyer-${story.key}`,
          nickname: `买家${story.key}`,
          phone: `138001380${10 + 'ABCDEFG'.indexOf(story.key)}`,
        },
        order: { externalId: `TB-${story.key}`, ...extra },
        occurredAt: new Date(at).toISOString(),
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    await api.routed();
  };
  /** Each buyer has one order, so the buyer names the member (whether a run holds one trigger or many). */
  const member = async (story: Story) =>
    (
      await api.db.pool.query<{
        run_id: string;
        holdout: boolean;
        position: string | null;
        exited: boolean;
        entered_at: Date;
      }>(
        `SELECT rm.run_id, rm.holdout, rm.position, rm.exited_at IS NOT NULL AS exited, rm.entered_at
         FROM run_members rm JOIN runs r ON r.id = rm.run_id JOIN customers c ON c.id = rm.customer_id
         WHERE r.journey_id = $1 AND c.external_id = $2`,
        [journeyId, `buyer-${story.key}`],
      )
    ).rows[0];
  const reaches = (story: Story, position: string) =>
    waitFor(env, async () => (await member(story))?.position === position, { stepMs: MINUTE, maxMs: 2 * DAY });
  const report = (query: string, headers: Record<string, string> = {}) =>
    api.call('GET', `/api/journeys/${journeyId}/report${query}`, { role: 'viewer', headers });

  beforeAll(async () => {
    // The API's "today" is the test server's clock, which time skipping moves ahead.
    ({ api, env } = await startTestApiOnTemporal({ now: () => new Date(env.now()) }));
    const draft = journeyTemplates.paymentReminder;
    const created = await api.call('POST', '/api/journeys', {
      role: 'marketer',
      body: { draft: { ...draft, settings: { ...draft.settings, holdoutPercent: 50 } } },
    });
    journeyId = created.body.id;
    const published = await api.call('POST', `/api/journeys/${journeyId}/publish`, {
      role: 'marketer',
      body: { notes: 'v1' },
    });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    audienceId = (await api.call('POST', '/api/journeys', { role: 'marketer', body: { name: 'audience' } })).body.id;

    // Day D, 10:00 in Shanghai: inside the reminders' good hours.
    dayD = localDateOf(new Date(await untilShanghaiMorning(env)), TZ);
    const [a, b, c, d, e] = stories;
    await api.db.pool.query(
      "INSERT INTO products (sku, name, short_name, category, list_price, role) VALUES ('KID-COAT', '儿童羽绒服', '羽绒服', 'kids_clothing', 299, 'profit')",
    );
    const items = (s: Story) => [{ sku: 'KID-COAT', title: '儿童羽绒服 加厚', quantity: 1, amount: s.amount }];
    for (const s of stories) await post('order_created', s, { amount: s.amount, items: items(s) });
    await env.sleep(10 * MINUTE);
    await post('order_paid', a);
    await reaches(b, 'wait_paid_2');
    await post('order_paid', b);
    await reaches(c, 'wait_closed');
    await post('order_closed', c);
    await reaches(c, 'exit_closed');
    await reaches(d, 'exit_handed_over');
    await reaches(e, 'wait_closed');
    // A minute after midnight, an order placed a minute before it: its buyer entered on day D.
    await env.sleep(Date.parse(`${dayD}T16:01:00Z`) - env.now());
    await post(
      'order_created',
      lastMinute,
      { amount: lastMinute.amount, items: items(lastMinute) },
      Date.parse(`${dayD}T15:59:00Z`),
    );
    await post('order_paid', lastMinute);
    await reaches(lastMinute, 'exit_paid');
    // Its run started after midnight (by the workflow's clock; created_at is the database's).
    const late = await api.db.pool.query<{ started_at: Date; entered_at: Date }>(
      `SELECT r.started_at, rm.entered_at FROM runs r JOIN run_members rm ON rm.run_id = r.id
       JOIN customers c ON c.id = rm.customer_id WHERE r.journey_id = $1 AND c.external_id = 'buyer-G'`,
      [journeyId],
    );
    const midnight = Date.parse(`${dayD}T16:00:00Z`);
    expect([late.rows[0].entered_at.getTime() < midnight, late.rows[0].started_at.getTime() >= midnight]).toEqual([
      true,
      true,
    ]);
    // Half past midnight: the next local day.
    await env.sleep(Date.parse(`${dayD}T16:30:00Z`) - env.now());
    await post('order_created', nextDay, { amount: nextDay.amount, items: items(nextDay) });
    await env.sleep(5 * MINUTE);
    await post('order_paid', nextDay);
    await reaches(nextDay, 'exit_paid');
    for (const s of [...dayStories, nextDay]) {
      const m = await member(s);
      holdout.set(s.key, m.holdout);
      enteredAt.set(s.key, m.entered_at);
      runOf.set(s.key, m.run_id);
    }
    // Delivery receipts through the API, as a provider's callback sends them.
    const sent = await api.db.pool.query<{ message_key: string; provider: string; node_id: string }>(
      `SELECT m.message_key, m.provider, m.node_id FROM messages m JOIN runs r ON r.id = m.run_id WHERE r.journey_id = $1 AND m.status = 'sent'`,
      [journeyId],
    );
    const receipts = sent.rows.map((m) => ({
      provider: m.provider,
      messageKey: m.message_key,
      status: 'delivered',
      billedSegments: billed(m.node_id),
      at: new Date(env.now()).toISOString(),
    }));
    if (receipts.length > 0) {
      const res = await api.call('POST', '/api/sms/receipts', { role: 'engineer', body: { receipts } });
      expect(res.body).toMatchObject({ updated: receipts.length });
    }
  }, 600_000);
  afterAll(async () => api?.close());

  /** The figures the stories add up to, per arm, and the nodes. */
  function expected(members: Story[]) {
    const arm = (inHoldout: boolean) => {
      const of = members.filter((s) => holdout.get(s.key) === inHoldout);
      const sms = inHoldout ? [] : of.flatMap((s) => s.sms);
      const segments = sms.reduce((n, node) => n + billed(node), 0);
      const buyers = of.filter((s) => s.converted);
      return {
        targets: of.length,
        sent: sms.length,
        delivered: sms.length,
        billedSegments: segments,
        buyers: buyers.length,
        orders: buyers.length,
        sales: buyers.reduce((n, s) => n + s.amount, 0),
        cost: Math.round(segments * UNIT_PRICE * 10_000) / 10_000,
        // 催付 issues no coupons.
        couponsIssued: 0,
        couponsRedeemed: 0,
        couponValue: 0,
      };
    };
    const treatment = arm(false);
    const hold = arm(true);
    const nodes = new Map<string, { reached: number; waiting: number; exited: number }>();
    for (const s of members) {
      for (const n of holdout.get(s.key) ? s.holdoutPath : s.treatmentPath) {
        const c = nodes.get(n) ?? { reached: 0, waiting: 0, exited: 0 };
        c.reached += 1;
        nodes.set(n, c);
      }
      (nodes.get(s.position) as { waiting: number; exited: number })[s.exited ? 'exited' : 'waiting'] += 1;
    }
    return { treatment, holdout: hold, nodes };
  }

  function expectReport(body: Record<string, unknown>, members: Story[]) {
    const x = expected(members);
    const c = compareArms(x.treatment, x.holdout);
    expect(body).toMatchObject({
      journeyId,
      timeZone: TZ,
      goal: { kind: 'trigger_order_paid' },
      runs: new Set(members.map((s) => runOf.get(s.key))).size,
      entered: members.length,
      converted: x.treatment.buyers + x.holdout.buyers,
      gmv: x.treatment.sales + x.holdout.sales,
      sms: {
        sent: x.treatment.sent,
        delivered: x.treatment.delivered,
        billedSegments: x.treatment.billedSegments,
        cost: x.treatment.cost,
      },
      treatment: { ...x.treatment, metrics: c.treatment },
      holdout: { ...x.holdout, metrics: c.holdout },
      roi: c.treatment.roi,
      incrementalSales: c.incrementalSales,
    });
    expect(body.lift).toEqual(c.lift && { ...c.lift, z: undefined });
    const nodes = Object.fromEntries(
      (body.nodes as { nodeId: string; reached: number; waiting: number; left: number; exited: number }[]).map((n) => [
        n.nodeId,
        n,
      ]),
    );
    expect(nodes).toEqual(
      Object.fromEntries([...x.nodes].map(([nodeId, n]) => [nodeId, { nodeId, ...n, left: n.reached - n.waiting }])),
    );
  }

  it('a day: the members who entered on it, per node, converted, GMV, SMS, cost, arms', async () => {
    const res = await report(`?period=day&from=${dayD}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      period: 'day',
      from: new Date(Date.parse(`${dayD}T00:00:00+08:00`)).toISOString(),
      to: new Date(Date.parse(`${dayD}T00:00:00+08:00`) + DAY).toISOString(),
    });
    expectReport(res.body, dayStories);
    // In words: A, B and G paid (390 yuan recovered over both arms); C closed, D went to a person, E waits.
    expect(res.body.gmv).toBe(390);
    expect(res.body.nodes.find((n: { nodeId: string }) => n.nodeId === 'wait_closed')).toMatchObject({ waiting: 1 });
  });

  it('today by default (the next day), a week, a custom range and its boundaries', async () => {
    const today = await report('');
    expect(today.status).toBe(200);
    expect(today.body.period).toBe('day');
    expectReport(today.body, [nextDay]);

    const [y, m, d] = dayD.split('-').map(Number);
    const sunday = new Date(Date.UTC(y, m - 1, d)).getUTCDay() === 0;
    const week = await report(`?period=week&from=${dayD}`);
    expect(week.body.period).toBe('week');
    expect(new Date(week.body.from).getUTCDay()).toBe(0); // Monday 00:00 in Shanghai is Sunday 16:00 UTC
    expectReport(week.body, sunday ? dayStories : [...dayStories, nextDay]);

    const f = enteredAt.get('F') as Date;
    const upTo = await report(`?period=custom&from=${dayD}&to=${encodeURIComponent(f.toISOString())}`);
    expectReport(upTo.body, dayStories);
    const from = await report(
      `?period=custom&from=${encodeURIComponent(f.toISOString())}&to=${encodeURIComponent(new Date(f.getTime() + DAY).toISOString())}`,
    );
    expectReport(from.body, [nextDay]);
    const both = await report(`?period=custom&from=${dayD}&to=${localDateOf(new Date(f.getTime() + DAY), TZ)}`);
    expectReport(both.body, [...dayStories, nextDay]);
    const before = await report(`?period=day&from=2026-01-01`);
    expect(before.body).toMatchObject({ entered: 0, runs: 0, converted: 0, gmv: 0, lift: null, nodes: [] });
  });

  it('CSV: the same report after a byte order mark, by ?format=csv or Accept', async () => {
    const json = (await report(`?period=day&from=${dayD}`)).body;
    for (const res of [
      await report(`?period=day&from=${dayD}&format=csv&lang=en`),
      await report(`?period=day&from=${dayD}&lang=en`, { accept: 'text/csv' }),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toContain(`journey-${journeyId}-report-${dayD}.csv`);
      expect(res.text.startsWith('\uFEFF')).toBe(true);
      const lines = res.text.slice(1).split('\r\n');
      expect(lines[0]).toBe('figure,node,total,treatment,holdout');
      expect(lines).toContain(`entered,,${json.entered},${json.treatment.targets},${json.holdout.targets}`);
      expect(lines).toContain(`converted,,${json.converted},${json.treatment.buyers},${json.holdout.buyers}`);
      expect(lines).toContain(`gmv,,${json.gmv},${json.treatment.sales},${json.holdout.sales}`);
      expect(lines).toContain(`sms_cost,,${json.sms.cost},,`);
      expect(lines).toContain(`waiting,wait_closed,1,,`);
      expect(lines.at(-1)).toBe('');
    }
  });

  it('bad input: 400 or 422 with the field, 404 for an unknown journey, 422 for an audience journey', async () => {
    const cases: [string, number, (string | number)[]][] = [
      ['?period=month', 400, ['query', 'period']],
      ['?period=custom&from=2026-11-11', 400, ['query', 'to']],
      ['?period=day&to=2026-11-12', 400, ['query', 'to']],
      ['?from=11/11/2026', 400, ['query', 'from']],
      ['?period=custom&from=2026-11-12&to=2026-11-11', 422, ['query', 'to']],
      ['?period=custom&from=2024-01-01&to=2026-01-01', 422, ['query', 'to']],
      ['?format=xml', 400, ['query', 'format']],
      ['?colour=red', 400, ['query', 'colour']],
    ];
    for (const [query, status, path] of cases) {
      const res = await report(query);
      expect([query, res.status, res.body.error?.path]).toEqual([query, status, path]);
    }
    const unknown = await api.call('GET', '/api/journeys/00000000-0000-4000-8000-000000000000/report', {
      role: 'viewer',
    });
    expect(unknown.status).toBe(404);
    const audience = await api.call('GET', `/api/journeys/${audienceId}/report`, { role: 'viewer' });
    expect(audience.status).toBe(422);
    expect(audience.body.error).toMatchObject({ code: 'not_triggered', path: ['params', 'id'] });
  });
});
