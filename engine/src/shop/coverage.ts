// The coverage report: each customer's marketing SMS over the last 365 days against the shop's
// coverage floor (DOMAIN.md: about 5-6 a year; big promotions reach everyone). A touch is a
// marketing message that left for the provider (sent_at set), whatever its delivery receipt says.
import type { CoverageReport } from '@huitou/schemas/http';
import type { Db } from '../db/transaction.ts';
import { iso } from '../db/transaction.ts';
import { readShopSettings } from './settings.ts';

const DAY_MS = 86_400_000;
export const COVERAGE_DAYS = 365;

export interface CoverageOptions {
  asOf: Date;
  belowOnly: boolean;
  /** null: every matching customer (the CSV). */
  page: { limit: number; offset: number } | null;
}

const TOUCHES = `WITH touched AS (
    SELECT customer_id, count(*)::int AS touches, max(sent_at) AS last_at FROM messages
    WHERE class = 'marketing' AND sent_at IS NOT NULL AND sent_at >= $1 AND sent_at < $2
    GROUP BY customer_id
  ), covered AS (
    SELECT c.id, c.nickname, coalesce(t.touches, 0) AS touches, t.last_at FROM customers c
    LEFT JOIN touched t ON t.customer_id = c.id
  )`;

export async function coverageReport(db: Db, options: CoverageOptions): Promise<CoverageReport> {
  const settings = await readShopSettings(db);
  const to = options.asOf;
  const from = new Date(to.getTime() - COVERAGE_DAYS * DAY_MS);
  const floor = settings.coverageFloor;
  const summary = await db.query<{ customers: number; below: number; at_cap: number }>(
    `${TOUCHES} SELECT count(*)::int AS customers, count(*) FILTER (WHERE touches < $3)::int AS below,
       count(*) FILTER (WHERE touches >= $4)::int AS at_cap FROM covered`,
    [from, to, floor, settings.frequencyCap.count],
  );
  const page = options.page;
  const { rows } = await db.query<{ id: string; nickname: string; touches: number; last_at: Date | null }>(
    `${TOUCHES} SELECT id, nickname, touches, last_at FROM covered
     WHERE NOT $3::boolean OR touches < $4
     ORDER BY touches, id ${page ? 'LIMIT $5 OFFSET $6' : ''}`,
    [from, to, options.belowOnly, floor, ...(page ? [page.limit, page.offset] : [])],
  );
  const s = summary.rows[0] ?? { customers: 0, below: 0, at_cap: 0 };
  return {
    floor,
    cap: settings.frequencyCap,
    from: from.toISOString(),
    to: to.toISOString(),
    customers: s.customers,
    belowFloor: s.below,
    atCap: s.at_cap,
    total: options.belowOnly ? s.below : s.customers,
    rows: rows.map((r) => ({
      customerId: Number(r.id),
      nickname: r.nickname,
      touches: r.touches,
      lastTouchAt: iso(r.last_at),
    })),
  };
}
