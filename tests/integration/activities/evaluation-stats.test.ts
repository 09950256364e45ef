import { describe, expect, it } from 'vitest';
import { armMetrics, compareArms, compareProportions, normalCdf } from '../../../activities/src/evaluation/stats.ts';

// Expected values computed by hand (and checked with Python's math.erfc), not by this code.
describe('evaluation statistics', () => {
  it('normal CDF', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 7);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 7);
  });

  it('two-proportion lift, 95% interval and z-test: 120/1000 vs 90/1000', () => {
    const c = compareProportions(120, 1000, 90, 1000);
    expect(c).not.toBeNull();
    if (!c) return;
    expect(c.lift).toBeCloseTo(0.03, 12);
    // SE = sqrt(.12*.88/1000 + .09*.91/1000) = 0.0136931; 1.96*SE = 0.0268379
    expect(c.ciLow).toBeCloseTo(0.003162087844242642, 9);
    expect(c.ciHigh).toBeCloseTo(0.056837912155757356, 9);
    // pooled p = .105; SE0 = sqrt(.105*.895*.002) = 0.0137095; z = 2.18827
    expect(c.z).toBeCloseTo(2.1882658846227234, 9);
    expect(c.pValue).toBeCloseTo(0.028650240398448486, 6);
    expect(c.significant).toBe(true);
  });

  it('small samples are not significant; empty arms give no comparison', () => {
    const c = compareProportions(6, 100, 5, 100);
    expect(c?.pValue).toBeCloseTo(0.7564382197239261, 6);
    expect(c?.ciLow).toBeCloseTo(-0.05317654402308816, 9);
    expect(c?.significant).toBe(false);
    expect(compareProportions(3, 10, 0, 0)).toBeNull();
    expect(compareProportions(0, 10, 0, 10)).toMatchObject({ lift: 0, pValue: 1, significant: false });
  });

  it('arm metrics and incremental sales', () => {
    const treatment = {
      targets: 900,
      sent: 800,
      delivered: 760,
      billedSegments: 800,
      buyers: 90,
      orders: 100,
      sales: 25_000,
      cost: 500,
      couponsIssued: 900,
      couponsRedeemed: 20,
      couponValue: 200,
    };
    const holdout = {
      targets: 100,
      sent: 0,
      delivered: 0,
      billedSegments: 0,
      buyers: 6,
      orders: 6,
      sales: 1_200,
      cost: 0,
      couponsIssued: 0,
      couponsRedeemed: 0,
      couponValue: 0,
    };
    expect(armMetrics(treatment)).toEqual({
      responseRate: 0.1,
      conversionRate: 90 / 800,
      averageOrderValue: 250,
      roi: 50,
      deliveryRate: 0.95,
    });
    expect(armMetrics(holdout)).toEqual({
      responseRate: 0.06,
      conversionRate: null,
      averageOrderValue: 200,
      roi: null,
      deliveryRate: null,
    });
    const c = compareArms(treatment, holdout);
    // (25000/900 - 1200/100) * 900 = 25000 - 10800 = 14200
    expect(c.incrementalSales).toBeCloseTo(14_200, 6);
    expect(c.incrementalRoi).toBeCloseTo(28.4, 9);
    expect(c.lift?.lift).toBeCloseTo(0.04, 12);
  });
});
