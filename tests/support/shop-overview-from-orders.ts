// The shop overview computed straight from the orders: the queries the overview ran before its
// precomputation (migration 089), kept as the reference the rollup-backed figures must equal.
// Parameters of every range query: $1 first local day, $2 last local day (inclusive), $3 time zone.
import { groupSizes } from '@huitou/activities/segments';
import type { Queryable } from '@huitou/activities/segments';
import { RfmScoring, lifecycleGroupIds, rfmGroupIds } from '@huitou/schemas';
import { RFM_GROUP_WARNING } from '@huitou/schemas/http';
import type { ShopOverview } from '@huitou/schemas/http';
import type { OverviewOptions } from '../../engine/src/reports/shop-overview.ts';

type Figures = Omit<ShopOverview, 'from' | 'to' | 'timeZone' | 'period' | 'monetary' | 'timings'>;

const LO = '(($1::date)::timestamp AT TIME ZONE $3)';
const HI = '(($2::date + 1)::timestamp AT TIME ZONE $3)';
const IN_RANGE = (alias: string) => `${alias}.paid_at >= ${LO} AND ${alias}.paid_at < ${HI}`;
/** A local timestamp (bucket start) plus an interval, as an instant. */
const at = (local: string, plus: string) => `((${local} + interval '${plus}') AT TIME ZONE $3)`;
const day = (expr: string) => `to_char(${expr}, 'YYYY-MM-DD')`;
const rate = (n: number, base: number) => (base === 0 ? null : n / base);

/**
 * Buyers in the range and their first purchase ever (by payment time): one grouped pass over these
 * buyers' purchases (the planner picks a hash or an index per buyer by the range's size).
 */
const FIRSTS = `cand AS (SELECT DISTINCT customer_id FROM purchases p WHERE ${IN_RANGE('p')}),
  firsts AS (
    SELECT q.customer_id, min(q.paid_at) AS first_at FROM purchases q
    WHERE q.customer_id IN (SELECT customer_id FROM cand) GROUP BY q.customer_id)`;

/** Every period bucket from the one holding `from` to the one holding `to` (local timestamps). */
const BUCKETS = `buckets AS (
  SELECT generate_series(date_trunc($4, ($1::date)::timestamp), ($2::date)::timestamp, ('1 ' || $4)::interval) AS b)`;
const bucketOf = (alias: string) => `date_trunc($4, ${alias}.paid_at AT TIME ZONE $3)`;

const queries = {
  async trend(db: Queryable, o: OverviewOptions): Promise<Pick<Figures, 'trend'>> {
    const { rows } = await db.query(
      `WITH ${BUCKETS},
       t AS (SELECT ${bucketOf('p')} AS b, count(*)::int AS orders, count(DISTINCT p.customer_id)::int AS buyers,
                    sum(p.amount)::float8 AS sales
             FROM purchases p WHERE ${IN_RANGE('p')} GROUP BY 1)
       SELECT ${day('buckets.b')} AS period, coalesce(t.orders, 0) AS orders, coalesce(t.buyers, 0) AS buyers,
              coalesce(t.sales, 0) AS sales
       FROM buckets LEFT JOIN t USING (b) ORDER BY buckets.b`,
      [o.from, o.to, o.timeZone, o.period],
    );
    return { trend: rows as Figures['trend'] };
  },

  /** New: the first purchase ever is in the bucket (so it is one of its buyers); returning: the others. */
  async newReturning(db: Queryable, o: OverviewOptions): Promise<Pick<Figures, 'newReturning'>> {
    const { rows } = await db.query(
      `WITH ${BUCKETS}, ${FIRSTS},
       n AS (SELECT date_trunc($4, first_at AT TIME ZONE $3) AS b, count(*)::int AS new_buyers FROM firsts
             WHERE first_at >= ${LO} AND first_at < ${HI} GROUP BY 1),
       t AS (SELECT ${bucketOf('p')} AS b, count(DISTINCT p.customer_id)::int AS buyers
             FROM purchases p WHERE ${IN_RANGE('p')} GROUP BY 1)
       SELECT ${day('buckets.b')} AS period, coalesce(n.new_buyers, 0) AS "newBuyers",
              coalesce(t.buyers, 0) - coalesce(n.new_buyers, 0) AS "returningBuyers"
       FROM buckets LEFT JOIN t USING (b) LEFT JOIN n USING (b) ORDER BY buckets.b`,
      [o.from, o.to, o.timeZone, o.period],
    );
    return { newReturning: rows as Figures['newReturning'] };
  },

  async provinces(db: Queryable, o: OverviewOptions): Promise<Pick<Figures, 'provinces'>> {
    const { rows } = await db.query(
      `SELECT c.province, count(DISTINCT p.customer_id)::int AS buyers, sum(p.amount)::float8 AS sales
       FROM purchases p JOIN customers c ON c.id = p.customer_id WHERE ${IN_RANGE('p')}
       GROUP BY 1 ORDER BY sales DESC, c.province NULLS LAST`,
      [o.from, o.to, o.timeZone],
    );
    return { provinces: rows as Figures['provinces'] };
  },

  async cities(db: Queryable, o: OverviewOptions): Promise<Pick<Figures, 'cities'>> {
    const { rows } = await db.query(
      `SELECT c.province, c.city, count(DISTINCT p.customer_id)::int AS buyers, sum(p.amount)::float8 AS sales
       FROM purchases p JOIN customers c ON c.id = p.customer_id WHERE ${IN_RANGE('p')}
       GROUP BY 1, 2 ORDER BY sales DESC, c.province NULLS LAST, c.city NULLS LAST LIMIT 30`,
      [o.from, o.to, o.timeZone],
    );
    return { cities: rows as Figures['cities'] };
  },

  async categories(db: Queryable, o: OverviewOptions): Promise<Pick<Figures, 'categories'>> {
    const { rows } = await db.query(
      `SELECT k.key, k.name, coalesce(x.buyers, 0) AS buyers, coalesce(x.sales, 0) AS sales
       FROM categories k LEFT JOIN (
         SELECT i.category, count(DISTINCT p.customer_id)::int AS buyers, sum(i.amount)::float8 AS sales
         FROM purchases p JOIN order_items i ON i.order_id = p.id WHERE ${IN_RANGE('p')} GROUP BY 1) x
       ON x.category = k.key
       ORDER BY k.position, k.key`,
      [o.from, o.to, o.timeZone],
    );
    return { categories: rows as Figures['categories'] };
  },

  /** RFM-8 and A/B/C/D in one pass: the segment conditions' own scoring (medians, default rules). */
  async groups(db: Queryable, o: OverviewOptions): Promise<Pick<Figures, 'rfm' | 'nonBuyers' | 'lifecycle'>> {
    const sizes = await groupSizes(
      db,
      { scoring: RfmScoring.parse({ method: 'quantile' }), monetary: o.monetary },
      { asOf: o.asOf, timeZone: o.timeZone },
    );
    return {
      rfm: rfmGroupIds.map((group) => ({
        group,
        customers: sizes.rfm[group],
        warning: sizes.rfm[group] > RFM_GROUP_WARNING,
      })),
      nonBuyers: sizes.nonBuyers,
      lifecycle: lifecycleGroupIds.map((group) => ({ group, customers: sizes.lifecycle[group] })),
    };
  },

  /**
   * Buyers of each calendar month touching the range, and when they next bought: the next month
   * with a purchase (one pass over the months' purchases and the 3 months after, a window per buyer).
   */
  async repurchase(db: Queryable, o: OverviewOptions): Promise<Pick<Figures, 'repurchase'>> {
    const { rows } = await db.query<{ month: string; buyers: number; n1: number; n2: number; n3: number }>(
      `WITH months AS (
         SELECT generate_series(date_trunc('month', ($1::date)::timestamp), ($2::date)::timestamp, interval '1 month') AS m),
       cm AS (SELECT DISTINCT p.customer_id, date_trunc('month', p.paid_at AT TIME ZONE $3) AS m FROM purchases p
              WHERE p.paid_at >= (date_trunc('month', ($1::date)::timestamp) AT TIME ZONE $3)
                AND p.paid_at < ${at("date_trunc('month', ($2::date)::timestamp)", '4 months')}),
       nx AS (SELECT customer_id, m, lead(m) OVER (PARTITION BY customer_id ORDER BY m) AS next_m FROM cm)
       SELECT ${day('months.m')} AS month, count(nx.customer_id)::int AS buyers,
              count(*) FILTER (WHERE nx.next_m <= months.m + interval '1 month')::int AS n1,
              count(*) FILTER (WHERE nx.next_m <= months.m + interval '2 months')::int AS n2,
              count(*) FILTER (WHERE nx.next_m <= months.m + interval '3 months')::int AS n3
       FROM months LEFT JOIN nx USING (m) GROUP BY months.m ORDER BY months.m`,
      [o.from, o.to, o.timeZone],
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
    const within = (days: number) => `count(*) FILTER (WHERE second_at <= first_at + interval '${days} days')::int`;
    const { rows } = await db.query<{ n: number; d1: number; d3: number; d7: number; d30: number }>(
      `WITH ${FIRSTS},
       f AS (SELECT f.first_at,
                    (SELECT min(q.paid_at) FROM purchases q WHERE q.customer_id = f.customer_id AND q.paid_at > f.first_at) AS second_at
             FROM firsts f WHERE f.first_at >= ${LO} AND f.first_at < ${HI})
       SELECT count(*)::int AS n, ${within(1)} AS d1, ${within(3)} AS d3, ${within(7)} AS d7, ${within(30)} AS d30
       FROM f`,
      [o.from, o.to, o.timeZone],
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
    const upTo = (k: number) =>
      `round(coalesce(sum(p.amount) FILTER (WHERE p.paid_at < ${at('co.m', `${k + 1} months`)}), 0) / count(DISTINCT co.customer_id), 2)::float8`;
    const { rows } = await db.query<{ cohort: string; buyers: number; s0: number; s1: number; s2: number; s3: number }>(
      `WITH ${FIRSTS},
       co AS (SELECT customer_id, date_trunc('month', first_at AT TIME ZONE $3) AS m FROM firsts
              WHERE first_at >= ${LO} AND first_at < ${HI})
       SELECT ${day('co.m')} AS cohort, count(DISTINCT co.customer_id)::int AS buyers,
              ${upTo(0)} AS s0, ${upTo(1)} AS s1, ${upTo(2)} AS s2, ${upTo(3)} AS s3
       FROM co JOIN purchases p ON p.customer_id = co.customer_id
       GROUP BY co.m ORDER BY co.m`,
      [o.from, o.to, o.timeZone],
    );
    return {
      ltv: rows.map((r) => ({ cohort: r.cohort, buyers: r.buyers, perBuyer: [r.s0, r.s1, r.s2, r.s3] })),
    };
  },
} satisfies Record<string, (db: Queryable, o: OverviewOptions) => Promise<Partial<Figures>>>;

const FIGURES = Object.keys(queries) as (keyof typeof queries)[];

/** Every figure, from the orders (one after the other), without timings. */
export async function overviewFromOrders(db: Queryable, o: OverviewOptions): Promise<Omit<ShopOverview, 'timings'>> {
  const parts = [];
  for (const name of FIGURES) parts.push(await queries[name](db, o));
  const figures = Object.assign({}, ...parts) as Figures;
  return { from: o.from, to: o.to, timeZone: o.timeZone, period: o.period, monetary: o.monetary, ...figures };
}
