// Coupon codes made by the platform's own coupon tool, into named pools (migrations 095, 099): a
// coupon node that names the pool hands them out one per member, with the pool's face value and
// validity. A pool is made by its first codes, which must give its terms (value, and valid_days or
// expires_at); later imports may leave them blank and may not contradict them. A code already in
// the shop is left as it is (re-importing a file changes nothing).
import { hasUnsafeNameCharacter } from '@huitou/schemas';
import { z } from 'zod';
import type { Db } from '../db/transaction.ts';
import { filled, money, optional, text, timestamp } from './cells.ts';
import type { ImportKind, ParsedRow, RowError } from './import-kind.ts';

const CouponCodeRow = z
  .object({
    pool: filled(text(100).refine((s) => !hasUnsafeNameCharacter(s), 'may not contain control or bidi characters')),
    code: filled(text(100).refine((s) => /^[0-9A-Za-z_-]+$/.test(s), 'expected letters, digits, _ and -')),
    value: optional(money.refine((s) => Number(s) > 0, 'the face value must be more than 0')),
    valid_days: optional(
      z
        .string()
        .regex(/^\d{1,4}$/, 'expected whole days, 1 to 3650')
        .transform(Number)
        .refine((n) => n >= 1 && n <= 3650, 'expected whole days, 1 to 3650'),
    ),
    expires_at: optional(timestamp),
  })
  .superRefine((r, ctx) => {
    if (r.valid_days != null && r.expires_at != null)
      ctx.addIssue({
        code: 'custom',
        path: ['expires_at'],
        message: 'give valid_days (days after issue) or expires_at (a fixed end), not both',
      });
  });
type CouponCodeRow = z.output<typeof CouponCodeRow>;

/** A pool's terms as the import compares them: value in cents' text, validity as one string. */
interface Terms {
  value: string | null;
  validity: string | null;
}

const termsOf = (r: CouponCodeRow): Terms => ({
  value: r.value == null ? null : Number(r.value).toFixed(2),
  validity:
    r.valid_days != null ? `${r.valid_days} days` : r.expires_at != null ? new Date(r.expires_at).toISOString() : null,
});

/**
 * A row's terms against its pool's: the stored ones (a pool with terms), else the first row of the
 * batch that gave them. A pool without stored terms needs them on each of its rows (a batch of a
 * big file is checked before the earlier ones are written).
 */
async function checkTerms(db: Db, rows: readonly ParsedRow<CouponCodeRow>[]): Promise<RowError[]> {
  const { rows: stored } = await db.query<{
    name: string;
    value: string;
    valid_days: number | null;
    expires_at: Date | null;
  }>(
    'SELECT name, value, valid_days, expires_at FROM coupon_pools WHERE name = ANY($1::text[]) AND value IS NOT NULL',
    [[...new Set(rows.map((r) => r.row.pool))]],
  );
  const known = new Map<string, Terms>(
    stored.map((p) => [
      p.name,
      {
        value: Number(p.value).toFixed(2),
        validity: p.valid_days !== null ? `${p.valid_days} days` : (p.expires_at as Date).toISOString(),
      },
    ]),
  );
  const errors: RowError[] = [];
  const firstInBatch = new Map<string, Terms>();
  for (const { line, row } of rows) {
    const given = termsOf(row);
    const pool = known.get(row.pool);
    if (!pool) {
      if (given.value === null)
        errors.push({ line, column: 'value', message: 'a new pool needs the face value of its codes' });
      if (given.validity === null)
        errors.push({
          line,
          column: 'valid_days',
          message: 'a new pool needs valid_days (days after issue) or expires_at (a fixed end)',
        });
      if (given.value === null || given.validity === null) continue;
    }
    const against = pool ?? firstInBatch.get(row.pool);
    if (!against) {
      firstInBatch.set(row.pool, given);
      continue;
    }
    const whose = pool ? "the pool's" : "the pool's first row's";
    if (given.value !== null && given.value !== against.value)
      errors.push({ line, column: 'value', message: `${whose} face value is ${against.value}` });
    if (given.validity !== null && given.validity !== against.validity)
      errors.push({
        line,
        column: row.valid_days != null ? 'valid_days' : 'expires_at',
        message: `${whose} validity is ${against.validity}`,
      });
  }
  return errors;
}

export const couponCodesImport: ImportKind<CouponCodeRow> = {
  name: 'coupon-codes',
  columns: ['pool', 'code', 'value', 'valid_days', 'expires_at'],
  required: ['pool', 'code'],
  row: CouponCodeRow,
  key: (r) => r.code,
  check: checkTerms,
  async write(db, rows) {
    // A pool's terms come with its first rows; a pool from before migration 099 takes them now.
    const withTerms = rows.filter((r) => r.value != null);
    await db.query(
      `INSERT INTO coupon_pools AS p (name, created_by, value, valid_days, expires_at)
       SELECT DISTINCT ON (u.pool) u.pool, 'import', u.value, u.valid_days, u.expires_at
       FROM unnest($1::text[], $2::numeric[], $3::int[], $4::timestamptz[]) AS u(pool, value, valid_days, expires_at)
       ORDER BY u.pool
       ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, valid_days = EXCLUDED.valid_days, expires_at = EXCLUDED.expires_at
       WHERE p.value IS NULL`,
      [
        withTerms.map((r) => r.pool),
        withTerms.map((r) => r.value),
        withTerms.map((r) => r.valid_days ?? null),
        withTerms.map((r) => r.expires_at ?? null),
      ],
    );
    const { rowCount } = await db.query(
      `INSERT INTO coupon_pool_codes (code, pool_id)
       SELECT u.code, p.id FROM unnest($1::text[], $2::text[]) AS u(code, pool) JOIN coupon_pools p ON p.name = u.pool
       ON CONFLICT (code) DO NOTHING`,
      [rows.map((r) => r.code), rows.map((r) => r.pool)],
    );
    return { inserted: rowCount ?? 0, updated: 0 };
  },
};
