import type { SegmentInput } from '@huitou/schemas';
import { Segment } from '@huitou/schemas';
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
 */
export function compileSegment(input: SegmentInput | Segment, ctx: SegmentContext): CompiledSegment {
  const segment = Segment.parse(input);
  rejectNulCharacters(segment);
  const params = new SqlParams();
  const lc = new LoweringContext(ctx, params);
  const sources = new PurchaseSources(lc);
  const lowering = new ConditionLowering(lc, sources);
  const where = lowering.condition(segment.where);
  const excluded = segment.exclude.map((e) => lowering.exclusion(e));
  const { withSql, joinSql } = sources.render();
  const sql = `${withSql}SELECT c.id AS customer_id
FROM customers c
${joinSql}
WHERE ${where}${excluded.map((e) => `\n  AND NOT ${e}`).join('')}`;
  return { sql, params: params.values, segment };
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
