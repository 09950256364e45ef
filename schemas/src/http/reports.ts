// Run reports: evaluation results per checkpoint and group, treatment vs holdout with the lift.
import { z } from 'zod';
import { Timestamp } from './common.ts';

/** The raw figures of one arm, summed over shards (also the CSV columns, in this order). */
export const REPORT_FIGURES = [
  'targets',
  'sent',
  'delivered',
  'billedSegments',
  'buyers',
  'orders',
  'sales',
  'cost',
  // Coupons issued to the arm, redeemed by a purchase in the window, and their face value (in cost).
  'couponsIssued',
  'couponsRedeemed',
  'couponValue',
] as const;
const Figures = z.object(
  Object.fromEntries(REPORT_FIGURES.map((f) => [f, z.number()])) as Record<
    (typeof REPORT_FIGURES)[number],
    z.ZodNumber
  >,
);
export const ArmMetrics = z.object({
  responseRate: z.number().nullable(),
  conversionRate: z.number().nullable(),
  averageOrderValue: z.number().nullable(),
  roi: z.number().nullable(),
  deliveryRate: z.number().nullable(),
});
export const ArmReport = Figures.extend({ metrics: ArmMetrics });
export type ArmReport = z.infer<typeof ArmReport>;

/** The response-rate lift of treatment over holdout: 95% interval and two-sided test (activities' compareArms). */
export const LiftReport = z.object({
  treatmentRate: z.number(),
  holdoutRate: z.number(),
  lift: z.number(),
  ciLow: z.number(),
  ciHigh: z.number(),
  pValue: z.number(),
  significant: z.boolean(),
});
export type LiftReport = z.infer<typeof LiftReport>;

// A/B results: the arms of a random split compared with each other (besides each arm against its
// own holdout slice). Computed in engine/src/reports/ab-results.ts with activities' statistics.
/** The winner rule: every compared arm has at least this many treatment members, and p < 0.05. */
export const AB_MIN_MEMBERS = 100;
export const AB_ALPHA = 0.05;

export const AbArm = z.object({
  key: z.string().describe("The arm's port key"),
  name: z.string(),
  percent: z.number(),
  treatment: ArmReport,
  holdout: ArmReport,
  /** The arm against its own holdout slice (response-rate lift), as the run report's rows. */
  lift: LiftReport.nullable(),
});
export type AbArm = z.infer<typeof AbArm>;

/** `arm` against `versus` on the conversion rate (buyers / treatment members): arm minus versus. */
export const AbPair = z.object({
  arm: z.string(),
  versus: z.string(),
  rate: z.number(),
  versusRate: z.number(),
  /** Absolute difference in rate units (0.032 = 3.2 percentage points). */
  absolute: z.number(),
  /** absolute / versusRate; null when versus converted nobody. */
  relative: z.number().nullable(),
  /** 95% interval of the absolute difference. */
  ciLow: z.number(),
  ciHigh: z.number(),
  z: z.number(),
  pValue: z.number(),
  significant: z.boolean(),
});
export type AbPair = z.infer<typeof AbPair>;

export const AB_NO_WINNER_REASONS = ['too_few_members', 'not_significant'] as const;

export const AbVerdict = z.object({
  /** The arm whose conversion beats every other arm's significantly, with enough members; else null. */
  winner: z.string().nullable(),
  /** The arm converting best so far (null when nobody is measured). */
  leader: z.string().nullable(),
  /** Why there is no winner yet (null when there is one). */
  reason: z.enum(AB_NO_WINNER_REASONS).nullable(),
  /** The leader against the runner-up: the difference the verdict rests on. */
  margin: AbPair.nullable(),
  minMembers: z.int(),
  alpha: z.number(),
});
export type AbVerdict = z.infer<typeof AbVerdict>;

export const AbSplitReport = z.object({
  /** The random split node. */
  nodeId: z.string(),
  label: z.string().nullable(),
  /** Run reports: the checkpoint the arms are measured at (and its cycle); null in a journey's report. */
  checkpoint: z.string().nullable(),
  cycle: z.int(),
  arms: z.array(AbArm),
  /** Every pair of arms, the later arm against the earlier one. */
  pairs: z.array(AbPair),
  verdict: AbVerdict,
});
export type AbSplitReport = z.infer<typeof AbSplitReport>;

export const ReportRow = z.object({
  checkpoint: z.string(),
  nodeId: z.string().nullable(),
  cycle: z.int(),
  group: z.string().describe('The cohort measured (split branches are groups of their own)'),
  shards: z.int(),
  windowStart: Timestamp,
  windowEnd: Timestamp,
  evaluatedAt: Timestamp,
  treatment: ArmReport,
  holdout: ArmReport,
  lift: LiftReport.nullable(),
  incrementalSales: z.number().nullable(),
  incrementalRoi: z.number().nullable(),
});
export type ReportRow = z.infer<typeof ReportRow>;
export const RunReport = z.object({
  runId: z.string(),
  rows: z.array(ReportRow),
  /** Each random split's arms compared with each other, per checkpoint they reach. */
  ab: z.array(AbSplitReport),
});

/** The language of a CSV export's header row and figure names (default: Accept-Language, else zh). */
export const CsvLang = z
  .enum(['zh', 'en'])
  .describe('zh: Chinese column names; en: the snake_case keys (default: Accept-Language, else zh)');
export const CsvExportQuery = z.strictObject({ lang: CsvLang.optional() });
export type RunReport = z.infer<typeof RunReport>;
