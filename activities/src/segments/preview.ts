import type { Segment, SegmentInput } from '@huitou/schemas';
import type { Queryable } from '../db/member-set.ts';
import { toCustomerId } from '../db/member-set.ts';
import { compileSegment } from './compile.ts';
import type { SegmentContext } from './context.ts';
import { maskPhone } from './phone-mask.ts';
import { SqlParams } from './sql-params.ts';

export interface SampleCustomer {
  readonly customerId: number;
  readonly nickname: string;
  readonly gender: string;
  readonly province: string | null;
  readonly city: string | null;
  /** Masked for display (phone-mask.ts), e.g. +86****2445. */
  readonly phone: string | null;
  readonly orderCount: number;
  readonly totalSpend: number;
  readonly lastPurchaseAt: Date | null;
}

export interface SegmentPreview {
  readonly count: number;
  readonly sample: SampleCustomer[];
}

/**
 * The builder's preview: how many customers match, and a sample of them. One query; the sample is
 * spread over the segment deterministically (ordered by a hash of the id), not its first ids.
 */
export async function previewSegment(
  db: Queryable,
  segment: SegmentInput | Segment,
  ctx: SegmentContext,
  options: { sampleSize?: number } = {},
): Promise<SegmentPreview> {
  const compiled = compileSegment(segment, ctx);
  const params = new SqlParams(compiled.params);
  const limit = params.add(Math.max(0, Math.min(options.sampleSize ?? 20, 200)), 'int');
  const { rows } = await db.query<{ count: number; sample: RawSample[] | null }>(
    `WITH seg AS MATERIALIZED (${compiled.sql})
     SELECT (SELECT count(*)::int FROM seg) AS count,
            (SELECT json_agg(x ORDER BY x.spread) FROM (
               SELECT c.id, c.nickname, c.gender, c.province, c.city, c.phone,
                      huitou_holdout_bucket(0, c.id) AS spread, f.n, f.total, f.last_paid_at
               FROM seg JOIN customers c ON c.id = seg.customer_id
               CROSS JOIN LATERAL (SELECT count(*)::int AS n, coalesce(sum(amount), 0)::float8 AS total, max(paid_at) AS last_paid_at
                                   FROM purchases p WHERE p.customer_id = c.id) f
               ORDER BY huitou_holdout_bucket(0, c.id) LIMIT ${limit}) x) AS sample`,
    params.values,
  );
  return {
    count: rows[0].count,
    sample: (rows[0].sample ?? []).map((r) => ({
      customerId: toCustomerId(r.id),
      nickname: r.nickname,
      gender: r.gender,
      province: r.province,
      city: r.city,
      phone: maskPhone(r.phone),
      orderCount: r.n,
      totalSpend: r.total,
      lastPurchaseAt: r.last_paid_at === null ? null : new Date(r.last_paid_at),
    })),
  };
}

interface RawSample {
  id: number | string;
  nickname: string;
  gender: string;
  province: string | null;
  city: string | null;
  phone: string | null;
  n: number;
  total: number;
  last_paid_at: string | null;
}
