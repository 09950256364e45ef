import type { MemberSet, Queryable } from './member-set.ts';
import { memberSetSql, toCustomerId } from './member-set.ts';

/**
 * Purchase facts the running journeys ask about a member set: who came back since T, who bought a
 * category, and per-member or per-arm totals. Each function is one query whatever the set's size.
 * A purchase is a paid, non-refunded order (the `purchases` view); windows are [since, until).
 */

export interface PurchaseWindow {
  readonly since?: Date;
  readonly until?: Date;
}

export interface PurchaseFilter extends PurchaseWindow {
  /**
   * Only purchases with at least one item in one of these categories (the shop's keys; bound
   * values, so a key the shop no longer has matches nothing).
   */
  readonly categories?: readonly string[];
}

/** Members with at least one purchase matching the filter, in ascending id order. */
export async function membersWhoPurchased(
  db: Queryable,
  members: MemberSet,
  filter: PurchaseFilter = {},
): Promise<number[]> {
  const params: unknown[] = [];
  const memberSql = memberSetSql(members, params);
  const conditions = purchaseConditions('p', filter, params);
  const { rows } = await db.query<{ customer_id: string }>(
    `WITH members AS (${memberSql})
     SELECT m.customer_id FROM members m
     WHERE EXISTS (SELECT 1 FROM purchases p WHERE p.customer_id = m.customer_id${conditions})
     ORDER BY m.customer_id`,
    params,
  );
  return rows.map((r) => toCustomerId(r.customer_id));
}

/** "Came back since T": members with a purchase at or after `since` (and before `until`). */
export function cameBackSince(db: Queryable, members: MemberSet, since: Date, until?: Date): Promise<number[]> {
  return membersWhoPurchased(db, members, { since, until });
}

/** "Bought category C": members with a purchase containing any of the categories, in the window. */
export function boughtCategory(
  db: Queryable,
  members: MemberSet,
  categories: string | readonly string[],
  window: PurchaseWindow = {},
): Promise<number[]> {
  const list = typeof categories === 'string' ? [categories] : categories;
  if (list.length === 0) throw new Error('boughtCategory needs at least one category');
  return membersWhoPurchased(db, members, { ...window, categories: list });
}

export interface MemberPurchaseFacts {
  readonly customerId: number;
  readonly orders: number;
  /** Yuan. */
  readonly amount: number;
  readonly firstPurchaseAt: Date | null;
  readonly lastPurchaseAt: Date | null;
  readonly categories: string[];
}

/** Per-member purchase totals in the window, for every member (zeros for those who did not buy). */
export async function memberPurchaseFacts(
  db: Queryable,
  members: MemberSet,
  window: PurchaseWindow = {},
): Promise<MemberPurchaseFacts[]> {
  const params: unknown[] = [];
  const memberSql = memberSetSql(members, params);
  const conditions = purchaseConditions('p', window, params);
  const { rows } = await db.query<{
    customer_id: string;
    orders: number;
    amount: number;
    first_at: Date | null;
    last_at: Date | null;
    categories: string[];
  }>(
    `WITH members AS (${memberSql})
     SELECT m.customer_id, f.orders, f.amount, f.first_at, f.last_at,
            ARRAY(SELECT DISTINCT i.category FROM purchases p JOIN order_items i ON i.order_id = p.id
                  WHERE p.customer_id = m.customer_id${conditions} ORDER BY 1) AS categories
     FROM members m
     CROSS JOIN LATERAL (
       SELECT count(*)::int AS orders, coalesce(sum(p.amount), 0)::float8 AS amount, min(p.paid_at) AS first_at, max(p.paid_at) AS last_at
       FROM purchases p WHERE p.customer_id = m.customer_id${conditions}
     ) f
     ORDER BY m.customer_id`,
    params,
  );
  return rows.map((r) => ({
    customerId: toCustomerId(r.customer_id),
    orders: r.orders,
    amount: r.amount,
    firstPurchaseAt: r.first_at,
    lastPurchaseAt: r.last_at,
    categories: r.categories,
  }));
}

export interface ArmTotals {
  readonly members: number;
  /** Members with at least one purchase in the window. */
  readonly buyers: number;
  readonly orders: number;
  /** Yuan. */
  readonly sales: number;
}

/** Treatment and holdout totals of a run (or one shard) over a window: the raw material of a report. */
export async function purchaseTotalsByArm(
  db: Queryable,
  run: { readonly runId: string; readonly shard?: number },
  filter: PurchaseFilter = {},
): Promise<{ treatment: ArmTotals; holdout: ArmTotals }> {
  const params: unknown[] = [];
  const memberSql = memberSetSql({ runId: run.runId, shard: run.shard }, params);
  const conditions = purchaseConditions('p', filter, params);
  const { rows } = await db.query<{ holdout: boolean; members: number; buyers: number; orders: number; sales: number }>(
    `WITH members AS (${memberSql})
     SELECT m.holdout, count(*)::int AS members, count(*) FILTER (WHERE b.orders > 0)::int AS buyers,
            coalesce(sum(b.orders), 0)::int AS orders, coalesce(sum(b.sales), 0)::float8 AS sales
     FROM members m
     CROSS JOIN LATERAL (
       SELECT count(*) AS orders, sum(p.amount) AS sales FROM purchases p WHERE p.customer_id = m.customer_id${conditions}
     ) b
     GROUP BY m.holdout`,
    params,
  );
  const empty: ArmTotals = { members: 0, buyers: 0, orders: 0, sales: 0 };
  const arm = (holdout: boolean): ArmTotals => {
    const row = rows.find((r) => r.holdout === holdout);
    return row ? { members: row.members, buyers: row.buyers, orders: row.orders, sales: row.sales } : empty;
  };
  return { treatment: arm(false), holdout: arm(true) };
}

/** ` AND ...` conditions on purchase alias `p`; values are appended to `params`. */
function purchaseConditions(alias: string, filter: PurchaseFilter, params: unknown[]): string {
  let sql = '';
  if (filter.since) {
    params.push(filter.since);
    sql += ` AND ${alias}.paid_at >= $${params.length}::timestamptz`;
  }
  if (filter.until) {
    params.push(filter.until);
    sql += ` AND ${alias}.paid_at < $${params.length}::timestamptz`;
  }
  if (filter.categories) {
    params.push(filter.categories);
    sql += ` AND EXISTS (SELECT 1 FROM order_items ${alias}_i WHERE ${alias}_i.order_id = ${alias}.id AND ${alias}_i.category = ANY($${params.length}::text[]))`;
  }
  return sql;
}
