// The report of a triggered journey over a period: every member of its runs (or cohorts) who
// entered in [from, to), with the same arm figures and statistics as a run's report.
import { z } from 'zod';
import { BoundedDate, Instant } from '../instant.ts';
import { Timestamp } from './common.ts';
import { AbSplitReport, ArmReport, CsvLang, LiftReport } from './reports.ts';

export const REPORT_PERIODS = ['day', 'week', 'custom'] as const;
export const ReportPeriod = z.enum(REPORT_PERIODS);
export type ReportPeriod = z.infer<typeof ReportPeriod>;

/** The longest custom period, in days: a report reads every member of it. */
export const MAX_REPORT_DAYS = 366;

/** A local date or an instant (the report's and the audit log's bounds). */
export const DateOrInstant = z
  .string()
  .refine(
    (s) => BoundedDate.safeParse(s).success || Instant.safeParse(s).success,
    'expected a local date (YYYY-MM-DD) or an ISO 8601 instant with an offset',
  );

export const JourneyReportQuery = z
  .strictObject({
    period: ReportPeriod.default('day').describe(
      'day: the local day of `from` (default today); week: its Monday-to-Sunday week (default this week); custom: [from, to)',
    ),
    from: DateOrInstant.optional().describe(
      "A local date (midnight in the journey's time zone) or an instant; day and week take any instant inside them",
    ),
    to: DateOrInstant.optional().describe('custom only: the end, exclusive (a date means its midnight)'),
    format: z.enum(['json', 'csv']).optional().describe('csv: the same report as CSV (so does Accept: text/csv)'),
    lang: CsvLang.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.period === 'custom') {
      for (const key of ['from', 'to'] as const)
        if (q[key] === undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required for a custom period` });
    } else if (q.to !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `to is only for a custom period (a ${q.period} ends by itself)`,
      });
    }
  });
export type JourneyReportQuery = z.input<typeof JourneyReportQuery>;

/**
 * Members per node, summed over the journey's runs: who reached it (their recorded path passed
 * it), who is waiting there now, who left it (reached minus waiting), and whose journey ended there.
 */
export const JourneyNodeCount = z.object({
  nodeId: z.string(),
  reached: z.int(),
  waiting: z.int(),
  left: z.int(),
  exited: z.int(),
});
export type JourneyNodeCount = z.infer<typeof JourneyNodeCount>;

export const JourneyReport = z.object({
  journeyId: z.string(),
  name: z.string(),
  period: ReportPeriod,
  from: Timestamp,
  to: Timestamp,
  timeZone: z.string(),
  /** The goal of the latest published version: what counts as converted. */
  goal: z.object({ kind: z.string() }).loose(),
  /** Runs (or cohorts) with a member who entered in the period. */
  runs: z.int(),
  entered: z.int(),
  /** Members who reached the goal within the journey's window after entry (both arms). */
  converted: z.int(),
  /** Their goal orders' amounts (for 催付: the recovered GMV of the trigger orders paid). */
  gmv: z.number(),
  sms: z.object({ sent: z.int(), delivered: z.int(), billedSegments: z.int(), cost: z.number() }),
  /** Treatment GMV / cost. */
  roi: z.number().nullable(),
  treatment: ArmReport,
  holdout: ArmReport,
  lift: LiftReport.nullable(),
  incrementalSales: z.number().nullable(),
  incrementalRoi: z.number().nullable(),
  nodes: z.array(JourneyNodeCount),
  /** Each random split's arms compared with each other over the period. */
  ab: z.array(AbSplitReport),
});
export type JourneyReport = z.infer<typeof JourneyReport>;
