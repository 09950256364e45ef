import { describe, expect, it } from 'vitest';
import type { ExecutionPlan, PlanNodeOf } from '@huitou/schemas';
import { DAY_MS, HOUR_MS, MINUTE_MS, compileJourney, journeyTemplates, newBuyer1111, planHash } from '@huitou/schemas';

function compile(input: unknown): ExecutionPlan {
  const result = compileJourney(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
  return result.plan;
}

describe('shipped journey templates', () => {
  it.each(Object.entries(journeyTemplates))('%s compiles cleanly', (_name, graph) => {
    expect(compileJourney(graph).errors).toEqual([]);
  });

  it.each([
    // 30-day wait, cycles start on days 30, 60, 90, 120, 150; the last is evaluated 10 days after its coupon.
    ['newBuyer1111', 160 * DAY_MS],
    // 30 min wait for payment + up to 10 h (23:00 to 09:00) + 1 h + up to 10 h again + 3 days for the close.
    ['paymentReminder', 30 * MINUTE_MS + 10 * HOUR_MS + HOUR_MS + 10 * HOUR_MS + 3 * DAY_MS],
    // 48 h unshipped + 7 days late shipping + 7 days to arrive + 5 days to sign.
    ['orderCare', 2 * DAY_MS + 7 * DAY_MS + 7 * DAY_MS + 5 * DAY_MS],
    ['refundCare', 0],
    ['birthdayCare', 10 * DAY_MS],
    // The checkpoint 14 days after the reminder outlasts the 7-day wait.
    ['replenishment', 14 * DAY_MS],
    // General groups are a day later; the checkpoint is 5 days after the latest warm-up SMS.
    ['prePromotionWarmup', 6 * DAY_MS],
  ])('%s lasts at most its hand-computed duration', (name, ms) => {
    expect(compile(journeyTemplates[name]).maxDurationMs).toBe(ms);
  });
});

describe('the 11.11 new-buyer journey', () => {
  const plan = compile(newBuyer1111);
  const node = <T extends keyof typeof plan.nodes>(id: T) => plan.nodes[id];

  it('lasts about five months plus the last evaluation window', () => {
    expect(plan.maxDurationMs / DAY_MS).toBe(150 + 10);
  });

  it('splits the 11.11 buyers into the four categories, each with thanks, coupon, care and a 2-day evaluation', () => {
    const split = node('split_category') as PlanNodeOf<'split.segment'>;
    expect(split.params.branches.map((b) => b.port)).toEqual(['food', 'kids_clothing', 'daily_goods', 'durables']);
    for (const c of ['food', 'kids_clothing', 'daily_goods', 'durables']) {
      expect(split.next[c]).toEqual({ node: `thanks_${c}`, loopBack: false });
      expect(node(`thanks_${c}`).next.out.node).toBe(`coupon_${c}`);
      expect(node(`coupon_${c}`).next.out.node).toBe(`care_${c}`);
      expect(node(`care_${c}`).next.out.node).toBe(`eval_${c}`);
      expect((node(`eval_${c}`) as PlanNodeOf<'eval.checkpoint'>).params).toMatchObject({
        anchors: [`thanks_${c}`],
        offsetMs: 2 * DAY_MS,
      });
      expect(node(`thanks_${c}`).anchorsFor).toEqual(['eval_30d', `eval_${c}`]);
    }
  });

  it('evaluates the whole group 30 days after the thanks SMS', () => {
    expect((node('eval_30d') as PlanNodeOf<'eval.checkpoint'>).params).toMatchObject({
      anchors: ['thanks_daily_goods', 'thanks_durables', 'thanks_food', 'thanks_kids_clothing'],
      offsetMs: 30 * DAY_MS,
    });
  });

  it('re-stimulates those who did not come back monthly for five cycles, each evaluated 10 days after its coupon', () => {
    const loop = node('monthly') as PlanNodeOf<'loop.repeat'>;
    expect(loop.params).toMatchObject({
      cycles: 5,
      intervalMs: 30 * DAY_MS,
      exitWhen: { kind: 'purchase', window: { kind: 'since', anchor: 'entry' } },
    });
    expect(loop.next).toEqual({
      body: { node: 'cycle_thanks', loopBack: false },
      done: { node: 'exit_done', loopBack: false },
    });
    expect(node('cycle_thanks').next.out.node).toBe('cycle_coupon');
    expect((node('cycle_eval') as PlanNodeOf<'eval.checkpoint'>).params).toMatchObject({
      anchors: ['cycle_coupon'],
      offsetMs: 10 * DAY_MS,
    });
    expect(node('cycle_eval').next.out).toEqual({ node: 'monthly', loopBack: true });
    expect(node('cycle_eval').loops).toEqual(['monthly']);
    expect(node('eval_30d').loops).toEqual([]);
  });

  it('pre-parses SMS templates with the envelope and a segment forecast', () => {
    const care = node('care_daily_goods') as PlanNodeOf<'action.sms'>;
    expect(care.activity).toBe('sendSms');
    expect(care.params.envelope).toEqual({ signature: '【回头小店】', optOutSuffix: '回T退订', smsClass: 'marketing' });
    expect(care.params.parts.filter((p) => p.kind === 'var').map((p) => p.kind === 'var' && p.name)).toEqual([
      'nickname',
      'item',
      'coupon.amount',
    ]);
    expect(care.params.estimatedSegments).toBe(1);
  });
});

describe('ExecutionPlan', () => {
  const plan = compile(newBuyer1111);

  it('is deeply frozen', () => {
    expect(Object.isFrozen(plan)).toBe(true);
    expect(Object.isFrozen(plan.nodes.monthly.params)).toBe(true);
    expect(() => {
      (plan.nodes.monthly.params as { cycles: number }).cycles = 99;
    }).toThrow(TypeError);
  });

  it('is deterministic: the same journey in any node/edge order or layout has the same hash', () => {
    const shuffled = {
      ...newBuyer1111,
      nodes: [...newBuyer1111.nodes].reverse().map((n) => ({ ...n, position: { x: 1, y: 2 } })),
      edges: [...newBuyer1111.edges].reverse(),
    };
    expect(compile(shuffled).hash).toBe(plan.hash);
    expect(compile(structuredClone(newBuyer1111))).toEqual(plan);
  });

  it('hashes its content: a changed SMS changes the hash, and a stored copy verifies', () => {
    const edited = structuredClone(newBuyer1111);
    const thanks = edited.nodes.find((n) => n.id === 'cycle_thanks');
    if (thanks?.type !== 'action.sms') throw new Error('fixture changed');
    thanks.config.template += '！';
    expect(compile(edited).hash).not.toBe(plan.hash);
    const stored = JSON.parse(JSON.stringify(plan)) as ExecutionPlan;
    expect(planHash(stored)).toBe(plan.hash);
    expect(plan.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
