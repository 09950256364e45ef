import type { ArmFigures } from '../contract.ts';

/**
 * Report statistics from raw arm figures. Pure functions; a rate whose denominator is zero is null
 * (shown as "-"), never NaN or 0, so "no data" is not mistaken for "no response".
 */

const Z_95 = 1.959963984540054;

export interface ArmMetrics {
  /** Buyers / targets: comparable between treatment and holdout. */
  responseRate: number | null;
  /** Buyers / members actually messaged (treatment only; null when nobody was sent anything). */
  conversionRate: number | null;
  /** Sales / orders. */
  averageOrderValue: number | null;
  /** Sales / cost, the revenue:cost ratio shops track (aim ~25). */
  roi: number | null;
  deliveryRate: number | null;
}

export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

export function armMetrics(f: ArmFigures): ArmMetrics {
  return {
    responseRate: ratio(f.buyers, f.targets),
    conversionRate: ratio(f.buyers, f.sent),
    averageOrderValue: ratio(f.sales, f.orders),
    roi: ratio(f.sales, f.cost),
    deliveryRate: ratio(f.delivered, f.sent),
  };
}

export interface ProportionComparison {
  treatmentRate: number;
  holdoutRate: number;
  /** Treatment rate - holdout rate (absolute, in rate units). */
  lift: number;
  /** 95% Wald interval of the difference (unpooled standard error). */
  ciLow: number;
  ciHigh: number;
  /** Two-proportion z statistic (pooled standard error under the null hypothesis). */
  z: number;
  /** Two-sided. */
  pValue: number;
  significant: boolean;
}

/** Compares x/n between the arms; null when an arm is empty (no comparison exists). */
export function compareProportions(
  xT: number,
  nT: number,
  xH: number,
  nH: number,
  alpha = 0.05,
): ProportionComparison | null {
  if (nT <= 0 || nH <= 0) return null;
  const pT = xT / nT;
  const pH = xH / nH;
  const lift = pT - pH;
  const se = Math.sqrt((pT * (1 - pT)) / nT + (pH * (1 - pH)) / nH);
  const pooled = (xT + xH) / (nT + nH);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / nT + 1 / nH));
  // Both arms all-or-nothing: no variance, and no evidence of a difference beyond the rates themselves.
  const z = se0 > 0 ? lift / se0 : 0;
  const pValue = se0 > 0 ? 2 * (1 - normalCdf(Math.abs(z))) : 1;
  return {
    treatmentRate: pT,
    holdoutRate: pH,
    lift,
    ciLow: lift - Z_95 * se,
    ciHigh: lift + Z_95 * se,
    z,
    pValue,
    significant: pValue < alpha,
  };
}

/** Standard normal CDF via erfc (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

export interface Comparison {
  treatment: ArmMetrics;
  holdout: ArmMetrics;
  /** Response-rate lift with its interval and test; null when an arm is empty. */
  lift: ProportionComparison | null;
  /** Sales the stimulation added: (treatment sales per target - holdout sales per target) x treatment targets. */
  incrementalSales: number | null;
  /** Incremental sales / treatment cost. */
  incrementalRoi: number | null;
}

export function compareArms(treatment: ArmFigures, holdout: ArmFigures): Comparison {
  const perTarget = (f: ArmFigures) => ratio(f.sales, f.targets);
  const t = perTarget(treatment);
  const h = perTarget(holdout);
  const incrementalSales = t === null || h === null ? null : (t - h) * treatment.targets;
  return {
    treatment: armMetrics(treatment),
    holdout: armMetrics(holdout),
    lift: compareProportions(treatment.buyers, treatment.targets, holdout.buyers, holdout.targets),
    incrementalSales,
    incrementalRoi: incrementalSales === null ? null : ratio(incrementalSales, treatment.cost),
  };
}
