// Expected responses of a simulation. Nobody buys inside the sandbox while it runs, so the holdout's
// response in the simulated window would always be zero and says nothing. What the sandbox does
// know is its own purchase history, and the campaign report compares against exactly that
// behaviour: natural repurchase. So the expectation is "what these members would do anyway":
// treatment targets x the share of earlier buyers who bought again within the same window length
// at the end of the sandbox's history. It is a baseline, not a forecast of the campaign's lift.
import type pg from 'pg';

const DAY = 86_400_000;

export interface NaturalRate {
  windowDays: number;
  /** Customers who had bought before the window, and those of them who bought again inside it. */
  base: number;
  returned: number;
  rate: number;
}

/**
 * The natural repurchase rate over a window of `windowMs` ending at the last purchase in the
 * sandbox: returned / base, where base = customers with a purchase before the window. Zero
 * when the history has no such customers (a single new test customer).
 */
export async function naturalRepurchaseRate(pool: pg.Pool, windowMs: number): Promise<NaturalRate> {
  const { rows } = await pool.query<{ base: number; returned: number }>(
    `WITH h AS (SELECT max(paid_at) AS last FROM purchases),
          c AS (SELECT p.customer_id, bool_or(p.paid_at < h.last - $1 * interval '1 millisecond') AS before,
                       bool_or(p.paid_at >= h.last - $1 * interval '1 millisecond') AS inside
                FROM purchases p, h GROUP BY p.customer_id)
     SELECT count(*) FILTER (WHERE before)::int AS base, count(*) FILTER (WHERE before AND inside)::int AS returned FROM c`,
    [Math.max(0, Math.round(windowMs))],
  );
  const { base, returned } = rows[0];
  return { windowDays: Math.round((windowMs / DAY) * 10) / 10, base, returned, rate: base > 0 ? returned / base : 0 };
}

/** Rates are asked for per window length; the same lengths recur (every cycle's checkpoint). */
export function naturalRates(pool: pg.Pool): (windowMs: number) => Promise<NaturalRate> {
  const cache = new Map<number, Promise<NaturalRate>>();
  return (windowMs) => {
    const key = Math.round(windowMs);
    let rate = cache.get(key);
    if (!rate) cache.set(key, (rate = naturalRepurchaseRate(pool, key)));
    return rate;
  };
}
