// A/B results: arms of a random split against each other (two-proportion z-test, 95% interval)
// and the winner rule, on hand-worked figures.
import { describe, expect, it } from 'vitest';
import { zeroArmFigures } from '@huitou/activities/evaluation';
import { compileJourney, journeyTemplates } from '@huitou/schemas';
import { AB_MIN_MEMBERS } from '@huitou/schemas/http';
import type { AbArmFigures } from '../../../engine/src/reports/ab-results.ts';
import {
  AbTally,
  abResults,
  abVerdict,
  cohortSteps,
  comparePair,
  randomSplitsOf,
} from '../../../engine/src/reports/ab-results.ts';

const arm = (key: string, targets: number, buyers: number, holdout = { targets: 0, buyers: 0 }): AbArmFigures => ({
  key,
  name: key.toUpperCase(),
  percent: 50,
  treatment: { ...zeroArmFigures(), targets, buyers },
  holdout: { ...zeroArmFigures(), ...holdout },
});

describe('arm against arm', () => {
  it('200/1000 vs 250/1000: z ≈ 2.68, p ≈ 0.007, 5 points (25%) better', () => {
    const p = comparePair(arm('b', 1000, 250), arm('a', 1000, 200));
    expect(p).not.toBeNull();
    expect(p?.z).toBeCloseTo(2.6774, 3);
    expect(p?.pValue).toBeCloseTo(0.00742, 4);
    expect(p?.absolute).toBeCloseTo(0.05, 12);
    expect(p?.relative).toBeCloseTo(0.25, 12);
    // Unpooled: sqrt(.25*.75/1000 + .2*.8/1000) = 0.018641; ± 1.96 × it.
    expect(p?.ciLow).toBeCloseTo(0.05 - 1.959964 * 0.0186414, 5);
    expect(p?.ciHigh).toBeCloseTo(0.05 + 1.959964 * 0.0186414, 5);
    expect(p?.significant).toBe(true);
  });

  it('the other way round: the same test with the sign flipped', () => {
    const p = comparePair(arm('a', 1000, 200), arm('b', 1000, 250));
    expect(p?.z).toBeCloseTo(-2.6774, 3);
    expect(p?.relative).toBeCloseTo(-0.2, 12);
  });

  it('no comparison when an arm has nobody; no relative lift over an arm converting nobody', () => {
    expect(comparePair(arm('b', 100, 5), arm('a', 0, 0))).toBeNull();
    expect(comparePair(arm('b', 100, 5), arm('a', 100, 0))?.relative).toBeNull();
  });
});

describe('the verdict', () => {
  it('a winner once significant with enough members', () => {
    const v = abVerdict([arm('a', 1000, 200), arm('b', 1000, 250)]);
    expect(v).toMatchObject({ winner: 'b', leader: 'b', reason: null, minMembers: 100, alpha: 0.05 });
    expect(v.margin).toMatchObject({ arm: 'b', versus: 'a' });
    expect(v.margin?.absolute).toBeCloseTo(0.05, 12);
  });

  it('not significant: no winner, and why', () => {
    const v = abVerdict([arm('a', 1000, 200), arm('b', 1000, 215)]);
    expect(v).toMatchObject({ winner: null, leader: 'b', reason: 'not_significant' });
    expect(v.margin?.pValue).toBeGreaterThan(0.05);
  });

  it('too few members in an arm: no winner however large the difference', () => {
    const v = abVerdict([arm('a', AB_MIN_MEMBERS - 1, 0), arm('b', 1000, 500)]);
    expect(v).toMatchObject({ winner: null, leader: 'b', reason: 'too_few_members' });
    expect(abVerdict([arm('a', 0, 0), arm('b', 0, 0)])).toMatchObject({
      winner: null,
      leader: null,
      reason: 'too_few_members',
      margin: null,
    });
  });

  it('three arms: the leader must beat each other arm, not only the worst', () => {
    const close = abVerdict([arm('a', 1000, 200), arm('b', 1000, 250), arm('c', 1000, 245)]);
    expect(close).toMatchObject({ winner: null, leader: 'b', reason: 'not_significant' });
    expect(close.margin).toMatchObject({ arm: 'b', versus: 'c' });
    const clear = abVerdict([arm('a', 1000, 200), arm('b', 1000, 300), arm('c', 1000, 210)]);
    expect(clear).toMatchObject({ winner: 'b', reason: null });
  });

  it('the first arm can win too', () => {
    expect(abVerdict([arm('a', 1000, 300), arm('b', 1000, 200)])).toMatchObject({ winner: 'a' });
  });
});

describe('a split from report groups', () => {
  it('reads the arm steps of a cohort id', () => {
    expect(cohortSteps('root')).toEqual([]);
    expect(cohortSteps('root/ab.b/seg_1.else')).toEqual([
      { nodeId: 'ab', port: 'b' },
      { nodeId: 'seg_1', port: 'else' },
    ]);
  });

  it('finds the random splits of a plan with their arms', () => {
    const compiled = compileJourney(journeyTemplates.prePromotionWarmup);
    if (!compiled.ok) throw new Error('the template compiles');
    expect(randomSplitsOf(compiled.plan)).toEqual([
      {
        nodeId: 'coverage',
        label: null,
        arms: [
          { key: 'touch', name: '触达30%', percent: 30 },
          { key: 'skip', name: '不触达', percent: 70 },
        ],
      },
    ]);
  });

  it('sums groups into arms (only random splits), each arm with its holdout lift, every pair', () => {
    const tally = new AbTally();
    const splits = new Set(['ab']);
    const add = (cohort: string, holdout: boolean, targets: number, buyers: number) =>
      tally.add(splits, cohort, holdout, { targets, buyers, sales: buyers * 10.1, cost: targets * 0.045 });
    add('root/ab.a', false, 600, 120);
    add('root/ab.a/seg.yes', false, 400, 80);
    add('root/ab.a', true, 100, 10);
    add('root/ab.b', false, 1000, 250);
    add('root/ab.b', true, 100, 12);
    add('root/seg.yes', false, 50, 50); // not a random split: no arm
    add('root/loop.body/ab.a/loop.body/ab.b', false, 10, 0); // drawn again in a repeat: its last arm
    const r = abResults(
      {
        nodeId: 'ab',
        label: null,
        arms: [
          { key: 'a', name: 'A', percent: 50 },
          { key: 'b', name: 'B', percent: 50 },
        ],
      },
      { checkpoint: '7天', cycle: 0 },
      tally.of('ab'),
    );
    expect(tally.splits).toEqual(['ab']);
    expect(r.arms.map((a) => [a.key, a.treatment.targets, a.treatment.buyers, a.holdout.targets])).toEqual([
      ['a', 1000, 200, 100],
      ['b', 1010, 250, 100],
    ]);
    expect(r.arms[0].treatment.sales).toBe(2020);
    expect(r.arms[0].lift?.lift).toBeCloseTo(0.2 - 0.1, 12);
    expect(r.pairs).toHaveLength(1);
    expect(r.pairs[0]).toMatchObject({ arm: 'b', versus: 'a' });
    expect(r.verdict.winner).toBe('b');
  });
});
