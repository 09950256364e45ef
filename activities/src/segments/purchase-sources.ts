import type { ProductRole, PurchaseWindow } from '@huitou/schemas';
import { canonicalJson } from '@huitou/schemas';
import type { LoweringContext } from './context.ts';

/**
 * Per-customer purchase aggregates a segment needs, each computed once as a CTE over `purchases`
 * and LEFT JOINed to customers. All-time figures live in `s` (stats); windowed or category-filtered
 * ones in `a1`, `a2`... Every aggregate exposes n (orders), total, mean and top (largest order).
 */
export class PurchaseSources {
  private readonly ctes: string[] = [];
  private readonly joins: string[] = [];
  private readonly windows = new Map<string, string>();
  private statsAdded = false;
  private counter = 0;

  /**
   * `scoped`: the query is about a `members(customer_id)` CTE (a cohort), so aggregates are
   * computed for those customers only, through the (customer_id, paid_at) index.
   */
  constructor(
    private readonly lc: LoweringContext,
    readonly scoped = false,
  ) {}

  private scope(alias: string): string[] {
    return this.scoped ? [`${alias}.customer_id IN (SELECT customer_id FROM members)`] : [];
  }

  /** All-time aggregates per buyer, alias `s`. */
  stats(): string {
    if (!this.statsAdded) {
      this.statsAdded = true;
      this.ctes.push(`stats AS (
        SELECT customer_id, count(*)::int AS n, sum(amount) AS total, avg(amount) AS mean, max(amount) AS top,
               min(created_at) AS first_purchase_at, max(created_at) AS last_purchase_at,
               min(paid_at) AS first_paid_at, max(paid_at) AS last_paid_at
        FROM purchases p${this.scoped ? ` WHERE ${this.scope('p')[0]}` : ''} GROUP BY customer_id)`);
      this.joins.push('LEFT JOIN stats s ON s.customer_id = c.id');
    }
    return 's';
  }

  /**
   * Aggregates over purchases in a window; with categories and/or product roles, only orders with an
   * item in one of the categories whose product has one of the roles (one item matching both).
   * Category keys are bound values: a key the shop no longer has matches nothing. Returns the alias.
   */
  window(window: PurchaseWindow, categories?: readonly string[], roles?: readonly ProductRole[]): string {
    if (window.kind === 'all_time' && !categories && !roles) return this.stats();
    const key = canonicalJson({
      window,
      categories: categories ? [...categories].sort() : null,
      roles: roles ? [...roles].sort() : null,
    });
    const known = this.windows.get(key);
    if (known) return known;
    const alias = `a${++this.counter}`;
    const where = [...this.scope('p'), ...this.windowConditions('p', window)];
    if (categories || roles) {
      const item: string[] = ['i.order_id = p.id'];
      if (categories) item.push(`i.category = ANY(${this.lc.params.add(categories, 'text[]')})`);
      // Items reference products by id (no foreign key): an item without a product has no role.
      if (roles)
        item.push(
          `EXISTS (SELECT 1 FROM products pr WHERE pr.id = i.product_id AND pr.role = ANY(${this.lc.params.add(roles, 'text[]')}))`,
        );
      where.push(`EXISTS (SELECT 1 FROM order_items i WHERE ${item.join(' AND ')})`);
    }
    this.ctes.push(`${alias} AS (
        SELECT p.customer_id, count(*)::int AS n, sum(p.amount) AS total, avg(p.amount) AS mean, max(p.amount) AS top
        FROM purchases p${where.length ? ` WHERE ${where.join(' AND ')}` : ''} GROUP BY p.customer_id)`);
    this.joins.push(`LEFT JOIN ${alias} ON ${alias}.customer_id = c.id`);
    this.windows.set(key, alias);
    return alias;
  }

  /** Adds a CTE computed from the sources (e.g. RFM quantile thresholds) and cross-joins it. */
  addSingleRow(sqlFor: (alias: string) => string): string {
    const alias = `q${++this.counter}`;
    this.ctes.push(`${alias} AS (${sqlFor(alias)})`);
    this.joins.push(`CROSS JOIN ${alias}`);
    return alias;
  }

  /** The CTEs (in dependency order) and the joins, for the final query. */
  render(): { ctes: string[]; joinSql: string } {
    return { ctes: [...this.ctes], joinSql: this.joins.join('\n') };
  }

  /** Conditions on `alias.paid_at` for a window; the journey anchors must be in the context. */
  windowConditions(alias: string, window: PurchaseWindow): string[] {
    const lc = this.lc;
    switch (window.kind) {
      case 'all_time':
        return [];
      case 'last_days':
        return [`${alias}.paid_at >= ${lc.daysAgo(window.days)}`];
      case 'dates': {
        const out: string[] = [];
        if (window.from) out.push(`${alias}.paid_at >= ${lc.dayStart(window.from)}`);
        if (window.to) out.push(`${alias}.paid_at < ${lc.dayStart(window.to, 1)}`);
        return out;
      }
      case 'since': {
        const instant = window.anchor === 'entry' ? lc.ctx.entryAt : lc.ctx.cycleStartAt;
        if (!instant)
          throw new Error(`this segment needs the ${window.anchor === 'entry' ? 'entry' : 'cycle start'} instant`);
        return [`${alias}.paid_at >= ${lc.params.add(instant, 'timestamptz')}`];
      }
    }
  }
}
