import type {
  BirthdayComparison,
  Condition,
  DateComparison,
  Exclusion,
  NumberComparison,
  PurchaseWindow,
  RfmMonetary,
  RfmScoring,
  TextComparison,
} from '@huitou/schemas';
import { rfmGroups } from '@huitou/schemas';
import type { LoweringContext } from './context.ts';
import { localDateOf } from './context.ts';
import { daysSinceLastPurchase, fieldSql } from './fields.ts';
import type { PurchaseSources } from './purchase-sources.ts';

/**
 * Lowers segment conditions to SQL boolean expressions over customers `c`. Every leaf is wrapped in
 * coalesce(..., false), so a missing value (no purchases, no birthday) simply does not match and
 * `not` is plain boolean negation. Only fixed fragments are concatenated; values are parameters.
 */
export class ConditionLowering {
  constructor(
    private readonly lc: LoweringContext,
    private readonly sources: PurchaseSources,
  ) {}

  condition(c: Condition): string {
    switch (c.kind) {
      case 'all':
        return c.of.length === 0 ? 'true' : `(${c.of.map((x) => this.condition(x)).join(' AND ')})`;
      case 'any':
        return c.of.length === 0 ? 'false' : `(${c.of.map((x) => this.condition(x)).join(' OR ')})`;
      case 'not':
        return `(NOT ${this.condition(c.of)})`;
      case 'number':
        return leaf(this.number(this.field(c.field), c.compare));
      case 'date':
        return leaf(this.date(this.field(c.field), c.compare));
      case 'text':
        return leaf(this.text(this.field(c.field), c.compare));
      case 'boolean':
        return leaf(`${this.field(c.field)} = ${this.lc.params.add(c.value, 'boolean')}`);
      case 'gender':
        return leaf(`c.gender = ANY(${this.lc.params.add(c.values, 'text[]')})`);
      case 'birthday':
        return leaf(this.birthday(c.compare));
      case 'tags':
        return leaf(this.tags(c.op, c.tags));
      case 'purchase':
        return leaf(this.purchase(c));
      case 'rfm':
        return leaf(this.rfm(c));
      case 'lifecycle':
        return leaf(this.lifecycle(c));
      case 'trigger_order':
        return leaf(this.triggerOrder(`t.${c.field === 'amount' ? 'amount' : 'item_count'}`, c.compare));
      case 'trigger_order_paid':
        return leaf(
          `EXISTS (SELECT 1 FROM orders t WHERE t.id = ${this.triggerOrderId()} AND t.customer_id = c.id AND t.paid_at IS ${c.paid ? 'NOT ' : ''}NULL)`,
        );
      case 'saved_segment': {
        // The compiler (publish) or the engine (preview) copies the definition in; an id alone cannot be lowered.
        const d = c.definition;
        if (!d) throw new Error(`saved segment ${c.segmentId} has no definition; resolve it before lowering`);
        return `(${this.condition(d.where)}${d.exclude.map((e) => ` AND NOT ${this.exclusion(e)}`).join('')})`;
      }
      case 'trigger_order_category':
        return leaf(
          `EXISTS (SELECT 1 FROM orders t JOIN order_items ti ON ti.order_id = t.id
                   WHERE t.id = ${this.triggerOrderId()} AND t.customer_id = c.id AND ti.category = ANY(${this.lc.params.add(c.categories, 'text[]')}))`,
        );
    }
  }

  /** True for customers an exclusion removes. */
  exclusion(e: Exclusion): string {
    const p = this.lc.params;
    switch (e.kind) {
      case 'opted_out':
        return "EXISTS (SELECT 1 FROM opt_outs o WHERE o.channel = 'sms' AND (o.customer_id = c.id OR o.recipient = c.phone))";
      case 'bad_reviewer': {
        const since = e.withinDays === undefined ? '' : ` AND r.created_at >= ${this.lc.daysAgo(e.withinDays)}`;
        return `EXISTS (SELECT 1 FROM reviews r WHERE r.customer_id = c.id AND r.sentiment = 'negative'${since})`;
      }
      case 'low_response':
        return leaf(
          `c.times_marketed >= ${p.add(e.minTimesMarketed, 'int')} AND c.times_responded::numeric / nullif(c.times_marketed, 0) <= ${p.add(e.maxResponseRate, 'numeric')}`,
        );
      case 'cannot_reactivate': {
        // Marketing messages that reached the customer since their last purchase (or ever, if none).
        const s = this.sources.stats();
        return leaf(
          `coalesce(${s}.last_paid_at < ${this.lc.daysAgo(e.inactiveDays)}, true)
           AND (SELECT count(*) FROM messages m WHERE m.customer_id = c.id AND m.class = 'marketing'
                AND m.status IN ('sent', 'delivered') AND m.created_at > coalesce(${s}.last_paid_at, '-infinity'::timestamptz)) >= ${p.add(e.minTimesMarketed, 'int')}`,
        );
      }
      case 'condition':
        return this.condition(e.where);
    }
  }

  private field(id: keyof typeof fieldSql): string {
    return fieldSql[id](this.lc, this.sources);
  }

  private number(expr: string, cmp: NumberComparison): string {
    const p = this.lc.params;
    switch (cmp.op) {
      case 'eq':
        return `${expr} = ${p.add(cmp.value, 'numeric')}`;
      case 'neq':
        return `${expr} IS DISTINCT FROM ${p.add(cmp.value, 'numeric')}`;
      case 'gt':
        return `${expr} > ${p.add(cmp.value, 'numeric')}`;
      case 'gte':
        return `${expr} >= ${p.add(cmp.value, 'numeric')}`;
      case 'lt':
        return `${expr} < ${p.add(cmp.value, 'numeric')}`;
      case 'lte':
        return `${expr} <= ${p.add(cmp.value, 'numeric')}`;
      case 'between':
        return `${expr} BETWEEN ${p.add(cmp.min, 'numeric')} AND ${p.add(cmp.max, 'numeric')}`;
    }
  }

  /** Dates are local calendar days: `between` includes both ends. */
  private date(expr: string, cmp: DateComparison): string {
    const lc = this.lc;
    switch (cmp.op) {
      case 'between':
        return `${expr} >= ${lc.dayStart(cmp.from)} AND ${expr} < ${lc.dayStart(cmp.to, 1)}`;
      case 'on_or_before':
        return `${expr} < ${lc.dayStart(cmp.date, 1)}`;
      case 'on_or_after':
        return `${expr} >= ${lc.dayStart(cmp.date)}`;
      case 'within_last_days':
        return `${expr} >= ${lc.daysAgo(cmp.days)}`;
      case 'more_than_days_ago':
        return `${expr} < ${lc.daysAgo(cmp.days)}`;
      case 'is_empty':
        return `${expr} IS NULL`;
      case 'is_not_empty':
        return `${expr} IS NOT NULL`;
    }
  }

  /** `contains` is a literal substring test (strpos), so % and _ in user text are not wildcards. */
  private text(expr: string, cmp: TextComparison): string {
    const p = this.lc.params;
    switch (cmp.op) {
      case 'eq':
        return `${expr} = ${p.add(cmp.value, 'text')}`;
      case 'neq':
        return `${expr} IS DISTINCT FROM ${p.add(cmp.value, 'text')}`;
      case 'contains':
        return `strpos(${expr}, ${p.add(cmp.value, 'text')}) > 0`;
      case 'in':
        return `${expr} = ANY(${p.add(cmp.values, 'text[]')})`;
      case 'not_in':
        return `NOT coalesce(${expr} = ANY(${p.add(cmp.values, 'text[]')}), false)`;
      case 'is_empty':
        return `coalesce(${expr}, '') = ''`;
      case 'is_not_empty':
        return `coalesce(${expr}, '') <> ''`;
    }
  }

  private birthday(cmp: BirthdayComparison): string {
    const p = this.lc.params;
    switch (cmp.op) {
      case 'month_in':
        return `extract(month FROM c.birthday)::int = ANY(${p.add(cmp.months, 'int[]')})`;
      case 'within_next_days':
        return `to_char(c.birthday, 'MM-DD') = ANY(${p.add(upcomingMonthDays(this.lc.ctx.asOf, this.lc.timeZone, cmp.days), 'text[]')})`;
      case 'is_empty':
        return 'c.birthday IS NULL';
      case 'is_not_empty':
        return 'c.birthday IS NOT NULL';
    }
  }

  private tags(op: 'has_any' | 'has_all' | 'has_none', tags: readonly string[]): string {
    const list = this.lc.params.add(tags, 'text[]');
    if (op === 'has_any') return `c.tags && ${list}`;
    if (op === 'has_all') return `c.tags @> ${list}`;
    return `NOT (c.tags && ${list})`;
  }

  /** count and sum are 0 without purchases; avg and max are then missing (and do not match). */
  private purchase(c: Extract<Condition, { kind: 'purchase' }>): string {
    const a = this.sources.window(c.window, c.categories, c.roles);
    const metric = { count: `coalesce(${a}.n, 0)`, sum: `coalesce(${a}.total, 0)`, avg: `${a}.mean`, max: `${a}.top` }[
      c.metric
    ];
    return this.number(metric, c.compare);
  }

  /**
   * RFM groups classify buyers: R is whole days since the last purchase (all time), F and M are the
   * order count and spend (total or per order) over the condition's window. Thresholds are given, or
   * quantiles over buyers.
   */
  private rfm(c: Extract<Condition, { kind: 'rfm' }>): string {
    const levels = this.rfmLevels(c.scoring, c.window, c.monetary);
    const triples = c.groups.map((g) => {
      const group = rfmGroups[g];
      return `(${group.r === 'high'}, ${group.f === 'high'}, ${group.m === 'high'})`;
    });
    return `${levels.buyer} AND (${levels.r}, ${levels.f}, ${levels.m}) IN (${triples.join(', ')})`;
  }

  /** Boolean SQL for "R/F/M is high", and for "is a buyer" (RFM only classifies buyers). */
  rfmLevels(
    scoring: RfmScoring,
    window: PurchaseWindow,
    monetary: RfmMonetary = 'sum',
  ): { buyer: string; r: string; f: string; m: string } {
    const p = this.lc.params;
    const s = this.sources.stats();
    const a = this.sources.window(window);
    const days = daysSinceLastPurchase(this.lc, this.sources);
    const f = `coalesce(${a}.n, 0)`;
    // M by total spend, or by average order value (seed 004).
    const m = monetary === 'aov' ? `coalesce(${a}.mean, 0)` : `coalesce(${a}.total, 0)`;
    const buyer = `${s}.customer_id IS NOT NULL`;
    if (scoring.method === 'threshold') {
      return {
        buyer,
        r: `${days} <= ${p.add(scoring.recencyDays, 'int')}`,
        f: `${f} >= ${p.add(scoring.frequency, 'int')}`,
        m: `${m} >= ${p.add(scoring.monetary, 'numeric')}`,
      };
    }
    // Quantiles are over the shop's buyers: reuse the aggregates, unless they only cover a cohort.
    const quantiles = (rank: { days: string; f: string; m: string }, from: string) =>
      `SELECT percentile_cont(${p.add(scoring.recency, 'float8')}) WITHIN GROUP (ORDER BY ${rank.days}) AS r,
              percentile_cont(${p.add(scoring.frequency, 'float8')}) WITHIN GROUP (ORDER BY ${rank.f}) AS f,
              percentile_cont(${p.add(scoring.monetary, 'float8')}) WITHIN GROUP (ORDER BY ${rank.m}) AS m
       FROM ${from}`;
    let sql: string;
    if (!this.sources.scoped) {
      sql = quantiles(
        { days, f, m },
        `stats ${s}${a === s ? '' : ` LEFT JOIN ${a} ON ${a}.customer_id = ${s}.customer_id`}`,
      );
    } else {
      const inWindow = this.sources.windowConditions('gp', window).join(' AND ') || 'true';
      sql = quantiles(
        {
          days: `(${this.lc.today()} - (g.last_paid_at AT TIME ZONE ${this.lc.tz()})::date)`,
          f: 'g.n',
          m: monetary === 'aov' ? 'g.mean' : 'g.total',
        },
        `(SELECT gp.customer_id, max(gp.paid_at) AS last_paid_at, count(*) FILTER (WHERE ${inWindow}) AS n,
                 coalesce(sum(gp.amount) FILTER (WHERE ${inWindow}), 0) AS total,
                 coalesce(avg(gp.amount) FILTER (WHERE ${inWindow}), 0) AS mean
          FROM purchases gp GROUP BY gp.customer_id) g`,
      );
    }
    const q = this.sources.addSingleRow(() => sql);
    return { buyer, r: `${days} <= ${q}.r`, f: `${f} >= ${q}.f`, m: `${m} >= ${q}.m` };
  }

  /** A: active and loyal, B: active, C: sleeping, D: lost or never bought (schemas' lifecycleGroupOf). */
  private lifecycle(c: Extract<Condition, { kind: 'lifecycle' }>): string {
    const p = this.lc.params;
    const s = this.sources.stats();
    const days = daysSinceLastPurchase(this.lc, this.sources);
    return `(CASE WHEN ${s}.customer_id IS NULL OR ${days} > ${p.add(c.rules.lostAfterDays, 'int')} THEN 'D'
                  WHEN ${days} > ${p.add(c.rules.activeDays, 'int')} THEN 'C'
                  WHEN ${s}.n >= ${p.add(c.rules.loyalMinOrders, 'int')} THEN 'A' ELSE 'B' END) = ANY(${p.add(c.groups, 'text[]')})`;
  }

  private triggerOrderId(): string {
    const id = this.lc.ctx.triggerOrderId;
    const run = this.lc.ctx.triggerOrderOfRun;
    if (id === undefined && run !== undefined)
      return `(SELECT tm.trigger_order_id FROM run_members tm WHERE tm.run_id = ${this.lc.params.add(run, 'uuid')} AND tm.customer_id = c.id)`;
    if (id === undefined) throw new Error('this segment needs the trigger order');
    return this.lc.params.add(id, 'bigint');
  }

  private triggerOrder(expr: string, cmp: NumberComparison): string {
    return `EXISTS (SELECT 1 FROM orders t WHERE t.id = ${this.triggerOrderId()} AND t.customer_id = c.id AND ${this.number(expr, cmp)})`;
  }
}

function leaf(sql: string): string {
  return `coalesce((${sql}), false)`;
}

/** MM-DD of today and the next `days` local days; Feb 29 birthdays count on Feb 28 in other years. */
export function upcomingMonthDays(asOf: Date, timeZone: string, days: number): string[] {
  const today = localDateOf(asOf, timeZone);
  const [y, m, d] = today.split('-').map(Number);
  const out = new Set<string>();
  for (let i = 0; i <= days; i++) {
    const date = new Date(Date.UTC(y, m - 1, d + i));
    const md = `${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
    out.add(md);
    const year = date.getUTCFullYear();
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    if (md === '02-28' && !leap) out.add('02-29');
  }
  return [...out];
}
