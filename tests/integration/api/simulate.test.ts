// POST /api/journeys/:id/simulate: the 11.11 template on the demo shop, in a sandbox. The engine's
// own database is seeded with the same deterministic demo shop, so the test computes the expected
// figures independently, in plain SQL, from the very rows the sandbox was seeded with. The
// template's dates are read from the template, never written here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowNotFoundError } from '@temporalio/client';
import { journeyTemplates } from '@huitou/schemas';
import { assignHoldout } from '@huitou/schemas/holdout';
import { seedDemoShop } from '../../../engine/src/demo/seed.ts';
import {
  DEFAULT_SIMULATION_LIMITS,
  SimulationError,
  simulateJourney,
  simulationWorkflowId,
} from '../../../engine/src/simulate/simulate.ts';
import { compile } from '../../workflows/support.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApiOnTemporal } from './helpers.ts';
import type { TestEnv } from '../../../engine/src/temporal/test-env.ts';
import { lane } from '../../support/lanes.ts';

const template = journeyTemplates.newBuyer1111;
const entryConfig = template.nodes.find((n) => n.id === 'entry')?.config as {
  segment: {
    where: { of: [{ window: { from: string; to: string }; compare: { value: number } }, { window: { to: string } }] };
  };
};
const [bought, nothingBefore] = entryConfig.segment.where.of;
const branches = (
  template.nodes.find((n) => n.id === 'split_category')?.config as { branches: { key: string }[] }
).branches.map((b) => b.key);
const holdoutRatio = (template.settings?.holdoutPercent ?? 0) / 100;
const LEDGERS = [
  'journeys',
  'journey_versions',
  'runs',
  'run_members',
  'messages',
  'sms_sink',
  'coupons',
  'action_ledger',
  'evaluations',
];

describe(`simulate a draft (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let env: TestEnv;
  let journeyId: string;
  beforeAll(async () => {
    ({ api, env } = await startTestApiOnTemporal());
    await seedDemoShop(api.db.pool, { customers: DEFAULT_SIMULATION_LIMITS.demoCustomers });
    const created = await api.call('POST', '/api/journeys', { role: 'marketer', body: { draft: template } });
    expect(created.status).toBe(201);
    journeyId = created.body.id;
  });
  afterAll(async () => api?.close());

  /** Entrants of the template's audience, in SQL of its own: Shanghai days from the template's dates. */
  const entrants = async () =>
    (
      await api.db.pool.query<{ id: string; phone: string | null; category: string | null }>(
        `WITH day AS (SELECT ($1 || ' 00:00:00+08')::timestamptz AS a, ($2 || ' 00:00:00+08')::timestamptz + interval '1 day' AS b,
                           ($3 || ' 00:00:00+08')::timestamptz + interval '1 day' AS before),
            paid AS (SELECT * FROM orders WHERE paid_at IS NOT NULL AND status NOT IN ('created', 'closed', 'refunded'))
       SELECT c.id, c.phone,
              (SELECT i.category FROM paid o JOIN order_items i ON i.order_id = o.id, day
               WHERE o.customer_id = c.id AND o.paid_at >= day.a AND o.paid_at < day.b
               ORDER BY array_position($5::text[], i.category) LIMIT 1) AS category
       FROM customers c, day
       WHERE (SELECT coalesce(sum(o.amount), 0) FROM paid o WHERE o.customer_id = c.id AND o.paid_at >= day.a AND o.paid_at < day.b) >= $4
         AND NOT EXISTS (SELECT 1 FROM paid o WHERE o.customer_id = c.id AND o.paid_at < day.before)
         AND NOT EXISTS (SELECT 1 FROM opt_outs x WHERE x.channel = 'sms' AND (x.customer_id = c.id OR x.recipient = c.phone))
       ORDER BY c.id`,
        [bought.window.from, bought.window.to, nothingBefore.window.to, bought.compare.value, branches],
      )
    ).rows.map((r) => ({ id: Number(r.id), phone: r.phone, category: r.category }));

  const rowCounts = async () =>
    Object.fromEntries(
      await Promise.all(
        LEDGERS.map(async (t) => [
          t,
          (await api.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0].n,
        ]),
      ),
    );

  /** The engine's Temporal never saw the simulation's run (nor, where the server can list, any workflow). */
  const expectNoRealWorkflows = async (simulatedRunId: string) => {
    await expect(env.client.workflow.getHandle(simulationWorkflowId(simulatedRunId)).describe()).rejects.toThrow(
      WorkflowNotFoundError,
    );
    // Temporal's test server has no visibility API (ListWorkflowExecutions is unimplemented there).
    if (lane() === 'java-test-server') return;
    const ids: string[] = [];
    for await (const w of env.client.workflow.list()) ids.push(w.workflowId);
    expect(ids).toEqual([]);
  };

  it('runs the 11.11 template on the demo shop: per-node figures equal the SQL, nothing real is touched', async () => {
    const before = await rowCounts();
    const res = await api.call('POST', `/api/journeys/${journeyId}/simulate`, {
      role: 'marketer',
      body: { audience: 'demo_shop' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sim = res.body;
    const node = (id: string) => sim.nodes.find((n: { id: string }) => n.id === id);

    const members = await entrants();
    expect(members.length).toBeGreaterThan(20);
    const held = members.filter((m) => assignHoldout(sim.runId, m.id, holdoutRatio));
    expect(sim).toMatchObject({
      audience: { kind: 'demo_shop', customers: DEFAULT_SIMULATION_LIMITS.demoCustomers },
      members: members.length,
      holdout: held.length,
    });
    expect(node('entry')).toMatchObject({ entered: members.length });
    expect(node('split_category').ports).toEqual({
      ...Object.fromEntries(branches.map((c) => [c, members.filter((m) => m.category === c).length])),
      else: 0,
    });
    for (const c of branches) {
      const treatment = members.filter((m) => m.category === c && !held.includes(m));
      expect(node(`thanks_${c}`).sms).toMatchObject({
        sent: treatment.filter((m) => m.phone).length,
        skipped: treatment.some((m) => !m.phone) ? { no_phone: treatment.filter((m) => !m.phone).length } : {},
      });
      expect(node(`coupon_${c}`).coupons.done).toBe(treatment.length);
    }
    // Five months pass in the sandbox; the totals are the nodes' sums; responses are a natural baseline.
    expect(sim.simulatedDays).toBeGreaterThan(150);
    const smsNodes = sim.nodes.filter((n: { sms?: unknown }) => n.sms);
    expect(sim.totals.smsSent).toBe(smsNodes.reduce((s: number, n: { sms: { sent: number } }) => s + n.sms.sent, 0));
    expect(sim.totals.smsCost).toBeGreaterThan(0);
    expect(sim.totals.expected.treatment).toBe(members.length - held.length);
    expect(sim.totals.expected.natural.rate).toBeGreaterThan(0);
    expect(node('eval_30d').expected.treatment).toBe(members.length - held.length);
    // The population: the demo shop's customers the entry took, beside the same audience on the shop.
    expect(sim.population).toEqual({
      kind: 'segment',
      source: 'demo_shop',
      customers: DEFAULT_SIMULATION_LIMITS.demoCustomers,
      members: members.length,
      shopMembers: members.length,
    });
    expect(sim.followUps).toEqual([]);

    // Nothing in the engine's database changed and the engine's Temporal never saw a workflow.
    expect(await rowCounts()).toEqual(before);
    await expectNoRealWorkflows(sim.runId);
  });

  it('simulates one real customer copied into the sandbox', async () => {
    const [first] = await entrants();
    const res = await api.call('POST', `/api/journeys/${journeyId}/simulate`, {
      role: 'marketer',
      body: { audience: { customerId: first.id } },
    });
    expect(res.status, api.logs.join('\n')).toBe(200);
    const node = (id: string) => res.body.nodes.find((n: { id: string }) => n.id === id);
    expect(res.body).toMatchObject({ audience: { kind: 'customer', customerId: first.id }, members: 1 });
    expect(node('split_category').ports[first.category as string]).toBe(1);
    const treated = !assignHoldout(res.body.runId, first.id, holdoutRatio);
    expect(node(`thanks_${first.category}`)?.sms?.sent ?? 0).toBe(treated && first.phone ? 1 : 0);
    // How the population was formed, and the customer's own texts in time order.
    expect(res.body.population).toMatchObject({ kind: 'segment', source: 'customer', customers: 1, members: 1 });
    const texts = res.body.timeline as { at: string; nodeId: string; sent: boolean; body: string | null }[];
    expect(texts.map((m) => m.at)).toEqual(texts.map((m) => m.at).sort());
    const thanks = texts.find((m) => m.nodeId === `thanks_${first.category}`);
    if (treated && first.phone) expect(thanks).toMatchObject({ sent: true, body: expect.stringContaining('感谢') });
    else expect(thanks?.sent ?? false).toBe(false);
  });

  it('simulates a triggered journey with one synthetic entry event per recent demo order', async () => {
    const created = await api.call('POST', '/api/journeys', {
      role: 'marketer',
      body: { draft: journeyTemplates.paymentReminder },
    });
    const res = await api.call('POST', `/api/journeys/${created.body.id}/simulate`, {
      role: 'marketer',
      body: { audience: 'demo_shop' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const node = (id: string) => res.body.nodes.find((n: { id: string }) => n.id === id);
    // The template's own filter, in SQL: orders of at least 20 whose buyer left no negative review.
    const { rows } = await api.db.pool.query<{ amount: string; admitted: boolean }>(
      `SELECT o.amount, o.amount >= 20 AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.customer_id = o.customer_id AND r.sentiment = 'negative') AS admitted
       FROM orders o ORDER BY o.created_at DESC, o.id DESC LIMIT $1`,
      [DEFAULT_SIMULATION_LIMITS.triggerSample],
    );
    const admitted = rows.filter((r) => r.admitted);
    expect(admitted.length).toBeGreaterThan(0);
    expect(res.body.members).toBe(admitted.length);
    expect(node('entry')).toMatchObject({ entered: rows.length, exited: rows.length - admitted.length });
    const large = admitted.filter((r) => Number(r.amount) >= 2000).length;
    expect(node('split_large').ports).toEqual({ large, else: admitted.length - large });

    // The population: the latest demo orders, each once, beside the shop's own last 7 days.
    const span = await api.db.pool.query<{ first: Date; last: Date; recent: number }>(
      `SELECT min(created_at) AS first, max(created_at) AS last,
              (SELECT count(*)::int FROM orders WHERE created_at >= now() - interval '7 days') AS recent
       FROM (SELECT created_at FROM orders ORDER BY created_at DESC, id DESC LIMIT $1) o`,
      [DEFAULT_SIMULATION_LIMITS.triggerSample],
    );
    expect(res.body.population).toEqual({
      kind: 'orders',
      source: 'demo_shop',
      orders: rows.length,
      firstAt: span.rows[0].first.toISOString(),
      lastAt: span.rows[0].last.toISOString(),
      shopOrders7d: span.rows[0].recent,
    });

    // By default payments are learned from the shop's orders: the share of orders (old enough to
    // have had the whole 30 minutes) paid within 30 minutes of creation, in SQL of its own.
    const history = (
      await api.db.pool.query<{ orders: number; happened: number }>(
        `SELECT count(*)::int AS orders, count(*) FILTER (WHERE paid_at - created_at <= interval '30 minutes')::int AS happened
         FROM orders WHERE created_at <= (SELECT max(created_at) FROM orders) - interval '30 minutes'`,
      )
    ).rows[0];
    expect(history.happened).toBeGreaterThan(0);
    const paid = res.body.followUps.find((f: { event: string }) => f.event === 'order_paid');
    expect(paid).toMatchObject({
      source: 'learned',
      withinMinutes: 30,
      history: { from: 'shop', ...history },
      percent: Math.round((history.happened / history.orders) * 1000) / 10,
    });
    // Every payment that reached a run still waiting took it out by its `event` port.
    expect(node('wait_paid_1').ports.event).toBe(paid.delivered);
    expect(paid.delivered).toBeGreaterThan(0);
  });

  it('fewer reminders when the marketer sets who pays: 0%, 40%, 100% within 30 minutes', async () => {
    const created = await api.call('POST', '/api/journeys', {
      role: 'marketer',
      body: { draft: journeyTemplates.paymentReminder },
    });
    const simulateAt = async (percent: number) => {
      const res = await api.call('POST', `/api/journeys/${created.body.id}/simulate`, {
        role: 'marketer',
        body: { audience: 'demo_shop', followUps: [{ event: 'order_paid', percent }] },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const node = (id: string) => res.body.nodes.find((n: { id: string }) => n.id === id);
      const paid = res.body.followUps.find((f: { event: string }) => f.event === 'order_paid');
      expect(paid).toMatchObject({ source: 'set', percent, withinMinutes: 30 });
      expect(paid.history).toBeUndefined();
      return { sim: res.body, node, paid };
    };
    const none = await simulateAt(0);
    const some = await simulateAt(40);
    const all = await simulateAt(100);
    const waiting = none.node('wait_paid_1').entered;
    expect(waiting).toBeGreaterThan(2);
    // Nobody pays: every waiting order is reminded; everybody pays: nobody is.
    expect(none.paid.delivered).toBe(0);
    expect(none.node('remind_1').entered).toBe(waiting);
    expect(all.node('wait_paid_1').ports).toEqual({ event: waiting });
    expect(all.node('remind_1').entered).toBe(0);
    expect(all.sim.totals.smsSent).toBe(0);
    // 40% of the sampled orders pay (those the journey let in leave at the wait): the rest are reminded.
    expect(some.paid.delivered).toBeLessThanOrEqual(Math.round(DEFAULT_SIMULATION_LIMITS.triggerSample * 0.4));
    expect(some.node('wait_paid_1').ports.event).toBe(some.paid.delivered);
    expect(some.node('remind_1').entered).toBe(waiting - some.paid.delivered);
    expect(some.sim.totals.smsSent).toBeLessThan(none.sim.totals.smsSent);
    expect(some.sim.totals.smsCost).toBeLessThan(none.sim.totals.smsCost);

    const bad = await api.call('POST', `/api/journeys/${created.body.id}/simulate`, {
      role: 'marketer',
      body: { audience: 'demo_shop', followUps: [{ event: 'order_paid', percent: 140 }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toEqual(['body', 'followUps', 0, 'percent']);
  });

  it('draws the same holdout each time a triggered draft is simulated', async () => {
    // Half held out, so runs drawn at random would rarely hold out the same members three times.
    const draft = journeyTemplates.paymentReminder;
    const created = await api.call('POST', '/api/journeys', {
      role: 'marketer',
      body: { draft: { ...draft, settings: { ...draft.settings, holdoutPercent: 50 } } },
    });
    const simulate = async () => {
      const res = await api.call('POST', `/api/journeys/${created.body.id}/simulate`, {
        role: 'marketer',
        body: { audience: 'demo_shop', followUps: [{ event: 'order_paid', percent: 0 }] },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return { holdout: res.body.holdout, nodes: res.body.nodes, sms: res.body.totals.smsSent };
    };
    const first = await simulate();
    expect(first.holdout).toBeGreaterThan(0);
    expect(first.holdout).toBeLessThan(DEFAULT_SIMULATION_LIMITS.triggerSample);
    expect(await simulate()).toEqual(first);
    expect(await simulate()).toEqual(first);
  });

  it('refuses bad graphs, unknown customers, bad audiences and other roles with structured errors', async () => {
    const bad = await api.call('POST', `/api/journeys/${journeyId}/simulate`, {
      role: 'marketer',
      body: { audience: 'demo_shop', graph: { ...template, edges: [] } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ status: 422, code: 'journey_invalid', path: ['body', 'graph'] });
    expect(bad.body.error.details.errors.length).toBeGreaterThan(0);

    const nobody = await api.call('POST', `/api/journeys/${journeyId}/simulate`, {
      role: 'marketer',
      body: { audience: { customerId: 99_999_999 } },
    });
    expect(nobody.status).toBe(404);
    expect(nobody.body.error).toMatchObject({ code: 'not_found', path: ['body', 'audience', 'customerId'] });

    const audience = await api.call('POST', `/api/journeys/${journeyId}/simulate`, {
      role: 'marketer',
      body: { audience: 'everyone' },
    });
    expect(audience.status).toBe(400);
    expect(audience.body.error.path[0]).toBe('body');
    expect(audience.body.error.path[1]).toBe('audience');

    expect(
      (
        await api.call('POST', `/api/journeys/${journeyId}/simulate`, {
          role: 'viewer',
          body: { audience: 'demo_shop' },
        })
      ).status,
    ).toBe(403);
  });

  it('bounds simulations: a members cap, a time limit, one at a time', async () => {
    const plan = compile(template);
    const shop = api.db.pool;
    await expect(
      simulateJourney({ plan, audience: 'demo_shop', shop, limits: { maxMembers: 3 } }),
    ).rejects.toMatchObject({ failure: 'too_large' });
    await expect(
      simulateJourney({ plan, audience: 'demo_shop', shop, limits: { timeLimitMs: 1 } }),
    ).rejects.toMatchObject({ failure: 'timeout' });

    const first = simulateJourney({ plan, audience: 'demo_shop', shop, limits: { timeLimitMs: 60_000 } });
    const second = await simulateJourney({ plan, audience: 'demo_shop', shop }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(SimulationError);
    expect(second).toMatchObject({ failure: 'busy' });
    // The route answers 409 while one runs.
    const busy = await api.call('POST', `/api/journeys/${journeyId}/simulate`, {
      role: 'marketer',
      body: { audience: 'demo_shop' },
    });
    expect(busy.status).toBe(409);
    expect(busy.body.error).toMatchObject({ status: 409, code: 'conflict' });
    await first;
  });
});
