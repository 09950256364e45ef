// The shop overview's figures (GET /api/shop/overview), each one SQL query over the overview's
// precomputed tables (migration 089, overview-rollups.ts: purchases are paid, not refunded orders),
// brought up to date first, then run concurrently on the pool and timed one by one.
// Parameters of every range query: $1 first local day, $2 last local day (inclusive), $3 period.
import type pg from 'pg';
import { LifecycleRules, RfmScoring, lifecycleGroupIds, rfmGroupIds, rfmGroups } from '@huitou/schemas';
import { RFM_GROUP_WARNING } from '@huitou/schemas/http';
import type { LifecycleGroupId, RfmGroupId } from '@huitou/schemas';
import type { OverviewPeriod, RfmMonetary, ShopOverview } from '@huitou/schemas/http';
import { refreshOverviewRollups } from './overview-rollups.ts';

type Queryable = Pick<pg.Pool, 'query'>;

export interface OverviewOptions {
  from: string;
  to: string;
  timeZone: string;
  period: OverviewPeriod;
  monetary: RfmMonetary;
  asOf: Date;
}

type Figures = Omit<ShopOverview, 'from' | 'to' | 'timeZone' | 'period' | 'monetary' | 'timings'>;

const IN_RANGE = 'day BETWEEN $1::date AND $2::date';
const day = (expr: string) => `to_char(${expr}, 'YYYY-MM-DD')`;
const rate = (n: number, base: number) => (base === 0 ? null : n / base);
/**
 * The buyers of a range's rows: rows whose buyer had not bought since `since` (each buyer once;
 * prev_day '-infinity': a first purchase).
 */
const buyersSince = (since: string) => `coalesce(sum(buyers) FILTER (WHERE prev_day < ${since}), 0)::int`;

/** Every period bucket (its first local day) from the one holding `from` to the one holding `to`. */
const BUCKETS = `buckets AS (
  SELECT generate_series(date_trunc($3, ($1::date)::timestamp), ($2::date)::timestamp, ('1 ' || $3)::interval)::date AS b)`;
/** The range's days by bucket; its buyers had not bought since its start (or `from`, when later). */
const BY_BUCKET = `t AS (
  SELECT b, sum(orders)::int AS orders, ${buyersSince('greatest(b, $1::date)')} AS buyers, sum(sales)::float8 AS sales,
         coalesce(sum(buyers) FILTER (WHERE prev_day = '-infinity'), 0)::int AS new_buyers
  FROM (SELECT date_trunc($3, day::timestamp)::date AS b, * FROM overview_days WHERE ${IN_RANGE}) d GROUP BY b)`;

/** What the figures of one call share: the range's buyer days grouped by province and by city. */
interface Call {
  geo?: Promise<GeoRow[]>;
}
interface GeoRow {
  level: 0 | 1;
  province: string | null;
  city: string | null;
  buyers: number;
  sales: number;
}

/**
 * Buyers and sales by province and by city in one scan of the range's buyer days (the address
 * has too many values to pre-sum by day); cities first (level 0), each level by sales.
 */
function geo(db: Queryable, o: OverviewOptions, call: Call): Promise<GeoRow[]> {
  call.geo ??= db
    .query<GeoRow>(
      `SELECT grouping(city) AS level, province, city, count(*) FILTER (WHERE prev_day < $1::date)::int AS buyers,
              sum(sales)::float8 AS sales
       FROM overview_buyer_days WHERE ${IN_RANGE}
       GROUP BY GROUPING SETS ((province), (province, city))
       ORDER BY 1, sales DESC, province NULLS LAST, city NULLS LAST`,
      [o.from, o.to],
    )
    .then((r) => r.rows);
  return call.geo;
}

const queries = {
  async trend(db: Queryable, o: OverviewOptions): Promise<Pick<Figures, 'trend'>> {
    const { rows } = await db.query(
      `WITH ${BUCKETS}, ${BY_BUCKET}
       SELECT ${day('buckets.b')} AS period, coalesce(t.orders, 0) AS orders, coalesce(t.buyers, 0) AS buyers,
              coalesce(t.sales, 0) AS sales
       FROM buckets LEFT JOIN t USING (b) ORDER BY buckets.b`,
      [o.from, o.to, o.period],
    );
    return { trend: rows as Figures['trend'] };
  },

  /** New: the first purchase ever is in the bucket (so it is one of its buyers); returning: the others. */
  async newReturning(db: Queryable, o: OverviewOptions): Promise<Pick<Figures, 'newReturning'>> {
    const { rows } = await db.query(
      `WITH ${BUCKETS}, ${BY_BUCKET}
       SELECT ${day('buckets.b')} AS period, coalesce(t.new_buyers, 0) AS "newBuyers",
              coalesce(t.buyers - t.new_buyers, 0) AS "returningBuyers"
       FROM buckets LEFT JOIN t USING (b) ORDER BY buckets.b`,
      [o.from, o.to, o.period],
    );
    return { newReturning: rows as Figures['newReturning'] };
  },

  async provinces(db: Queryable, o: OverviewOptions, call: Call): Promise<Pick<Figures, 'provinces'>> {
    const rows = await geo(db, o, call);
    const provinces = rows.filter((r) => r.level === 1);
    return { provinces: provinces.map(({ province, buyers, sales }) => ({ province, buyers, sales })) };
  },

  async cities(db: Queryable, o: OverviewOptions, call: Call): Promise<Pick<Figures, 'cities'>> {
    const rows = await geo(db, o, call);
    return {
      cities: rows
        .filter((r) => r.level === 0)
        .slice(0, 30)
        .map(({ level: _, ...city }) => city),
    };
  },

  async categories(db: Queryable, o: OverviewOptions): Promise<Pick<Figures, 'categories'>> {
    const { rows } = await db.query(
      `SELECT k.key, k.name, coalesce(x.buyers, 0) AS buyers, coalesce(x.sales, 0) AS sales
       FROM categories k LEFT JOIN (
         SELECT category, ${buyersSince('$1::date')} AS buyers, sum(sales)::float8 AS sales
         FROM overview_day_categories WHERE ${IN_RANGE} GROUP BY 1) x
       ON x.category = k.key
       ORDER BY k.position, k.key`,
      [o.from, o.to],
    );
    return { categories: rows as Figures['categories'] };
  },

  /**
   * RFM-8 and A/B/C/D from the buyers' summaries: the segment conditions' quantile scoring (medians
   * over the buyers, as activities' groupSizes computes them) and default lifecycle rules; non-buyers
   * are D. Each quantile is read off an index at its offset, then one pass counts the groups.
   */
  async groups(db: Queryable, o: OverviewOptions): Promise<Pick<Figures, 'rfm' | 'nonBuyers' | 'lifecycle'>> {
    const scoring = RfmScoring.parse({ method: 'quantile' });
    if (scoring.method !== 'quantile') throw new Error('quantile scoring expected');
    const rules = LifecycleRules.parse({});
    const m = o.monetary === 'aov' ? 'mean' : 'spend';
    const today = `($1::timestamptz AT TIME ZONE $2)::date`;
    const counts = await db.query<{ buyers: number; customers: number; today: string }>(
      `SELECT (SELECT coalesce(sum(buyers), 0)::int FROM overview_first_days) AS buyers,
              (SELECT count(*)::int FROM customers) AS customers, ${today}::text AS today`,
      [o.asOf, o.timeZone],
    );
    const { buyers, customers } = counts.rows[0];
    const rfm = Object.fromEntries(rfmGroupIds.map((g) => [g, 0])) as Record<RfmGroupId, number>;
    const lifecycle = Object.fromEntries(lifecycleGroupIds.map((g) => [g, 0])) as Record<LifecycleGroupId, number>;
    lifecycle.D = customers - buyers;
    if (buyers > 0) {
      // percentile_cont: between the values at floor and ceil of q·(n − 1), linearly.
      const quantile = async (q: number, value: string, order: string) => {
        const at = q * (buyers - 1);
        const params = value.includes('$1') ? [o.asOf, o.timeZone] : [];
        const { rows } = await db.query<{ x: number }>(
          `SELECT (${value})::float8 AS x FROM overview_customers ORDER BY ${order} OFFSET $${params.length + 1} LIMIT 2`,
          [...params, Math.floor(at)],
        );
        const lo = rows[0].x;
        const hi = rows[Math.min(1, rows.length - 1)].x;
        return at > Math.floor(at) ? lo + (hi - lo) * (at - Math.floor(at)) : lo;
      };
      // Days since the last purchase rise as the last day falls.
      const r = await quantile(scoring.recency, `${today} - last_day`, 'last_day DESC');
      const f = await quantile(scoring.frequency, 'orders', 'orders');
      const mq = await quantile(scoring.monetary, m, m);
      const { rows } = await db.query<{ r: boolean; f: boolean; m: boolean; lifecycle: LifecycleGroupId; n: number }>(
        `SELECT days <= $3::float8 AS r, orders >= $4::float8 AS f, m >= $5::float8 AS m,
                CASE WHEN days > $6 THEN 'D' WHEN days > $7 THEN 'C' WHEN orders >= $8 THEN 'A' ELSE 'B' END AS lifecycle,
                count(*)::int AS n
         FROM (SELECT ${today} - last_day AS days, orders, ${m} AS m FROM overview_customers) s
         GROUP BY 1, 2, 3, 4`,
        [o.asOf, o.timeZone, r, f, mq, rules.lostAfterDays, rules.activeDays, rules.loyalMinOrders],
      );
      const level = (high: boolean) => (high ? 'high' : 'low');
      for (const row of rows) {
        lifecycle[row.lifecycle] += row.n;
        const group = rfmGroupIds.find(
          (g) => rfmGroups[g].r === level(row.r) && rfmGroups[g].f === level(row.f) && rfmGroups[g].m === level(row.m),
        );
        if (group) rfm[group] += row.n;
      }
    }
    return {
      rfm: rfmGroupIds.map((group) => ({ group, customers: rfm[group], warning: rfm[group] > RFM_GROUP_WARNING })),
      nonBuyers: customers - buyers,
      lifecycle: lifecycleGroupIds.map((group) => ({ group, customers: lifecycle[group] })),
    };
  },

  /** Buyers of each calendar month touching the range, by the months to their next purchase. */
  async repurchase(db: Queryable, o: OverviewOptions): Promise<Pick<Figures, 'repurchase'>> {
    const { rows } = await db.query<{ month: string; buyers: number; n1: number; n2: number; n3: number }>(
      `WITH months AS (
         SELECT generate_series(date_trunc('month', ($1::date)::timestamp), ($2::date)::timestamp, interval '1 month')::date AS m)
       SELECT ${day('months.m')} AS month, coalesce(sum(o.buyers), 0)::int AS buyers,
              coalesce(sum(o.buyers) FILTER (WHERE o.gap BETWEEN 1 AND 1), 0)::int AS n1,
              coalesce(sum(o.buyers) FILTER (WHERE o.gap BETWEEN 1 AND 2), 0)::int AS n2,
              coalesce(sum(o.buyers) FILTER (WHERE o.gap BETWEEN 1 AND 3), 0)::int AS n3
       FROM months LEFT JOIN overview_months o ON o.month = months.m GROUP BY months.m ORDER BY months.m`,
      [o.from, o.to],
    );
    return {
      repurchase: rows.map((r) => ({
        month: r.month,
        buyers: r.buyers,
        nextMonth: rate(r.n1, r.buyers),
        twoMonths: rate(r.n2, r.buyers),
        quarter: rate(r.n3, r.buyers),
      })),
    };
  },

  /** First-time buyers of the range: the share whose next purchase (a later instant) came within N days. */
  async retention(db: Queryable, o: OverviewOptions): Promise<Pick<Figures, 'retention'>> {
    const { rows } = await db.query<{ n: number; d1: number; d3: number; d7: number; d30: number }>(
      `SELECT coalesce(sum(buyers), 0)::int AS n, coalesce(sum(d1), 0)::int AS d1, coalesce(sum(d3), 0)::int AS d3,
              coalesce(sum(d7), 0)::int AS d7, coalesce(sum(d30), 0)::int AS d30
       FROM overview_first_days WHERE ${IN_RANGE}`,
      [o.from, o.to],
    );
    const r = rows[0];
    return {
      retention: {
        firstTimeBuyers: r.n,
        d1: rate(r.d1, r.n),
        d3: rate(r.d3, r.n),
        d7: rate(r.d7, r.n),
        d30: rate(r.d30, r.n),
      },
    };
  },

  /** Cohorts by local month of first purchase (first purchase in the range): sales per buyer to date +k months. */
  async ltv(db: Queryable, o: OverviewOptions): Promise<Pick<Figures, 'ltv'>> {
    const perBuyer = (k: number) => `round(sum(s${k}) / sum(buyers), 2)::float8 AS s${k}`;
    const { rows } = await db.query<{ cohort: string; buyers: number; s0: number; s1: number; s2: number; s3: number }>(
      `SELECT ${day("date_trunc('month', day)")} AS cohort, sum(buyers)::int AS buyers,
              ${[0, 1, 2, 3].map(perBuyer).join(', ')}
       FROM overview_first_days WHERE ${IN_RANGE}
       GROUP BY 1 ORDER BY 1`,
      [o.from, o.to],
    );
    return {
      ltv: rows.map((r) => ({ cohort: r.cohort, buyers: r.buyers, perBuyer: [r.s0, r.s1, r.s2, r.s3] })),
    };
  },
} satisfies Record<string, (db: Queryable, o: OverviewOptions, call: Call) => Promise<Partial<Figures>>>;

export const OVERVIEW_FIGURES = Object.keys(queries) as (keyof typeof queries)[];

/**
 * All figures, concurrently (each takes its own pool connection), with each one's time in ms, once
 * the precomputed tables are up to date (buyers changed since the last overview recomputed).
 */
export async function shopOverview(db: pg.Pool, o: OverviewOptions): Promise<ShopOverview> {
  await refreshOverviewRollups(db, o.timeZone);
  const timings: Record<string, number> = {};
  const call: Call = {};
  const parts = await Promise.all(
    OVERVIEW_FIGURES.map(async (name) => {
      const started = performance.now();
      const part = await queries[name](db, o, call);
      timings[name] = Math.round(performance.now() - started);
      return part;
    }),
  );
  const figures = Object.assign({}, ...parts) as Figures;
  return { from: o.from, to: o.to, timeZone: o.timeZone, period: o.period, monetary: o.monetary, ...figures, timings };
}

/** One figure alone (the benchmark times each without the others competing for the cores). */
export function overviewFigure(name: (typeof OVERVIEW_FIGURES)[number], db: Queryable, o: OverviewOptions) {
  return queries[name](db, o, {});
}
