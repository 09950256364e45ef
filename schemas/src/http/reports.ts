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
export const RunReport = z.object({ runId: z.string(), rows: z.array(ReportRow) });

/** The language of a CSV export's header row and figure names (default: Accept-Language, else zh). */
export const CsvLang = z
  .enum(['zh', 'en'])
  .describe('zh: Chinese column names; en: the snake_case keys (default: Accept-Language, else zh)');
export const CsvExportQuery = z.strictObject({ lang: CsvLang.optional() });
export type RunReport = z.infer<typeof RunReport>;
