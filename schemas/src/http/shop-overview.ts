// GET /api/shop/overview: the shop at a glance (issue 18) — sales trend, new vs returning buyers,
// where buyers live, category mix, RFM and lifecycle group sizes, repurchase, retention and
// lifetime value. Every figure counts purchases (paid, not refunded: the `purchases` view).
import { z } from 'zod';
import { BoundedDate as LocalDate } from '../instant.ts';
import { LifecycleGroupId, RfmGroupId, RfmMonetary } from '../rfm.ts';
import { CsvLang } from './reports.ts';

export const OVERVIEW_PERIODS = ['day', 'week', 'month'] as const;
export const OverviewPeriod = z.enum(OVERVIEW_PERIODS);
export type OverviewPeriod = z.infer<typeof OverviewPeriod>;

// M by sum or by AOV is defined once, with RFM (schemas/src/rfm.ts); the API's names follow it.
export { RFM_MONETARY, RfmMonetary } from '../rfm.ts';

/** The longest range, in days: the trend has at most this many points. */
export const MAX_OVERVIEW_DAYS = 1100;
/** A group bigger than this is too coarse to target (docs/domain.md § Segments). */
export const RFM_GROUP_WARNING = 30_000;

const overviewQueryShape = {
  period: OverviewPeriod.default('day').describe('Granularity of the trend, new vs returning and repurchase rows'),
  from: LocalDate.optional().describe("First local day (the shop's time zone); default: 89 days before `to`"),
  to: LocalDate.optional().describe('Last local day, inclusive; default: today'),
  monetary: RfmMonetary.optional().describe(
    "RFM M by total spend (sum) or by average order value (aov); default: the shop's setting, else sum",
  ),
};
const rangeInOrder = (q: { from?: string; to?: string }, ctx: z.RefinementCtx) => {
  if (q.from && q.to && q.to < q.from)
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
};

export const ShopOverviewQuery = z.strictObject(overviewQueryShape).superRefine(rangeInOrder);
/** GET /api/shop/overview.csv: the same range, and the export's language. */
export const ShopOverviewCsvQuery = z
  .strictObject({ ...overviewQueryShape, lang: CsvLang.optional() })
  .superRefine(rangeInOrder);
export type ShopOverviewQuery = z.input<typeof ShopOverviewQuery>;

const Rate = z.number().nullable().describe('A share in [0, 1]; null when nobody is in the base');

export const ShopOverview = z.object({
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  period: OverviewPeriod,
  monetary: RfmMonetary,
  /** Per period (its first local day): paid orders, distinct buyers, sales. */
  trend: z.array(z.object({ period: z.string(), orders: z.int(), buyers: z.int(), sales: z.number() })),
  /** New: the buyer's first purchase ever is in that period; returning: bought before. */
  newReturning: z.array(z.object({ period: z.string(), newBuyers: z.int(), returningBuyers: z.int() })),
  /** Buyers and sales by the customer's province; cities: the top 30 by sales. Null: not known. */
  provinces: z.array(z.object({ province: z.string().nullable(), buyers: z.int(), sales: z.number() })),
  cities: z.array(
    z.object({ province: z.string().nullable(), city: z.string().nullable(), buyers: z.int(), sales: z.number() }),
  ),
  /** Every category of the shop's list, in its order: item sales and buyers of an item in it. */
  categories: z.array(z.object({ key: z.string(), name: z.string(), buyers: z.int(), sales: z.number() })),
  /** RFM-8 (quantile scoring, medians) over all buyers as of now; warning over RFM_GROUP_WARNING. */
  rfm: z.array(z.object({ group: RfmGroupId, customers: z.int(), warning: z.boolean() })),
  nonBuyers: z.int(),
  /** A/B/C/D with the default lifecycle rules, as of now. */
  lifecycle: z.array(z.object({ group: LifecycleGroupId, customers: z.int() })),
  /** Buyers of each month in the range, and how many bought again in the next 1, 2 and 3 months. */
  repurchase: z.array(
    z.object({
      month: z.string(),
      buyers: z.int(),
      nextMonth: Rate,
      twoMonths: Rate,
      quarter: Rate,
    }),
  ),
  /** First-time buyers in the range; share who bought again within 1, 3, 7 and 30 days. */
  retention: z.object({ firstTimeBuyers: z.int(), d1: Rate, d3: Rate, d7: Rate, d30: Rate }),
  /** Cohorts by month of first purchase (in the range): cumulative sales per buyer by month +0..+3. */
  ltv: z.array(z.object({ cohort: z.string(), buyers: z.int(), perBuyer: z.array(z.number()).length(4) })),
  /** Each figure's query time in milliseconds (the figures run concurrently). */
  timings: z.record(z.string(), z.number()),
});
export type ShopOverview = z.infer<typeof ShopOverview>;
