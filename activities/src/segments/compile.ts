import type { Condition, SegmentInput } from '@huitou/schemas';
import { Condition as ConditionSchema, Segment } from '@huitou/schemas';
import type { MemberSet } from '../db/member-set.ts';
import { memberSetSql } from '../db/member-set.ts';
import type { SegmentContext } from './context.ts';
import { LoweringContext } from './context.ts';
import { ConditionLowering } from './lower-condition.ts';
import { PurchaseSources } from './purchase-sources.ts';
import { SqlParams } from './sql-params.ts';

export interface CompiledSegment {
  /** A query returning one column, `customer_id`, one row per matching customer. */
  readonly sql: string;
  readonly params: readonly unknown[];
  /** The validated segment (defaults filled in), e.g. to store with a snapshot. */
  readonly segment: Segment;
}

/**
 * Lowers a segment to one parameterized query. The input is validated against the segment schema
 * first, so only whitelisted fields and operators reach the lowering, whatever the caller passes.
 * With `members`, only those customers are considered (and aggregated).
 */
export function compileSegment(
  input: SegmentInput | Segment,
  ctx: SegmentContext,
  options: { members?: MemberSet } = {},
): CompiledSegment {
  const segment = Segment.parse(input);
  rejectNulCharacters(segment);
  const query = new SegmentQuery(ctx, options.members);
  const where = query.condition(segment.where);
  const excluded = segment.exclude.map((e) => query.lowering.exclusion(e));
  const sql = query.render('c.id AS customer_id', `${where}${excluded.map((e) => `\n  AND NOT ${e}`).join('')}`);
  return { sql, params: query.params.values, segment };
}

/** Validates a condition from outside (e.g. a split branch) like compileSegment does for segments. */
export function parseCondition(input: unknown): Condition {
  const condition = ConditionSchema.parse(input);
  rejectNulCharacters(condition);
  return condition;
}

/** One query under construction over customers `c` (optionally a member set), with shared aggregates. */
export class SegmentQuery {
  readonly params: SqlParams;
  readonly lowering: ConditionLowering;
  private readonly sources: PurchaseSources;
  private readonly membersCte?: string;

  constructor(ctx: SegmentContext, members?: MemberSet, params = new SqlParams()) {
    this.params = params;
    if (members) this.membersCte = `members AS (${memberSetSql(members, this.params.values)})`;
    const lc = new LoweringContext(ctx, this.params);
    this.sources = new PurchaseSources(lc, members !== undefined);
    this.lowering = new ConditionLowering(lc, this.sources);
  }

  condition(c: Condition): string {
    return this.lowering.condition(c);
  }

  /** `WITH ... SELECT <select> FROM customers c (JOIN members m) ... WHERE <where>`. */
  render(select: string, where: string, extraCtes: readonly string[] = []): string {
    const { ctes, joinSql } = this.sources.render();
    const all = [...(this.membersCte ? [this.membersCte] : []), ...ctes, ...extraCtes];
    const from = this.membersCte ? 'members m JOIN customers c ON c.id = m.customer_id' : 'customers c';
    return `${all.length ? `WITH ${all.join(',\n')}\n` : ''}SELECT ${select}
FROM ${from}
${joinSql}
WHERE ${where}`;
  }
}

/** Postgres text cannot hold NUL; say so plainly rather than let the driver fail mid-query. */
function rejectNulCharacters(value: unknown): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new Error('segment text values may not contain NUL characters');
  } else if (Array.isArray(value)) {
    for (const v of value) rejectNulCharacters(v);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) rejectNulCharacters(v);
  }
}
