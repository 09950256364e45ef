// Coupon pools with their stock: what was imported, handed out, left and redeemed.
import { CouponPools } from '@huitou/schemas/http';
import { route } from '../route.ts';
import type { Route } from '../route.ts';

export const couponPoolRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/coupon-pools',
    summary: 'Coupon pools (codes imported with POST /api/imports/coupon-codes) and their stock',
    tag: 'journeys',
    permission: 'read',
    response: CouponPools,
    handler: async ({ deps }) => {
      const { rows } = await deps.pool.query<{
        name: string;
        codes: number;
        issued: number;
        redeemed: number;
        created_at: Date;
      }>(
        `SELECT p.name, p.created_at, count(c.code)::int AS codes, count(c.coupon_id)::int AS issued,
                count(k.redeemed_order_id)::int AS redeemed
         FROM coupon_pools p
         LEFT JOIN coupon_pool_codes c ON c.pool_id = p.id
         LEFT JOIN coupons k ON k.id = c.coupon_id
         GROUP BY p.id ORDER BY p.name`,
      );
      return {
        pools: rows.map((r) => ({
          name: r.name,
          codes: r.codes,
          issued: r.issued,
          left: r.codes - r.issued,
          redeemed: r.redeemed,
          createdAt: r.created_at.toISOString(),
        })),
      };
    },
  }),
];
