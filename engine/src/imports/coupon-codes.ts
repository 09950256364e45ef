// Coupon codes made by the platform's own coupon tool, into named pools (migration 095): a coupon
// node that names the pool hands them out one per member. A pool is made by its first code; a code
// already in the shop is left as it is (re-importing a file changes nothing).
import { hasUnsafeNameCharacter } from '@huitou/schemas';
import { z } from 'zod';
import { filled, text } from './cells.ts';
import type { ImportKind } from './import-kind.ts';

const CouponCodeRow = z.object({
  pool: filled(text(100).refine((s) => !hasUnsafeNameCharacter(s), 'may not contain control or bidi characters')),
  code: filled(text(100).refine((s) => /^[0-9A-Za-z_-]+$/.test(s), 'expected letters, digits, _ and -')),
});
type CouponCodeRow = z.output<typeof CouponCodeRow>;

export const couponCodesImport: ImportKind<CouponCodeRow> = {
  name: 'coupon-codes',
  columns: ['pool', 'code'],
  required: ['pool', 'code'],
  row: CouponCodeRow,
  key: (r) => r.code,
  async write(db, rows) {
    await db.query(
      `INSERT INTO coupon_pools (name, created_by) SELECT DISTINCT p, 'import' FROM unnest($1::text[]) AS u(p)
       ON CONFLICT (name) DO NOTHING`,
      [rows.map((r) => r.pool)],
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
