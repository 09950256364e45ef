// Coupon pools with their terms and stock (imported, handed out, left, redeemed), and what referral coupons
// brought in, attributed to the members who forwarded them.
import { CouponPools, CouponReferrals, CouponReferralsQuery } from '@huitou/schemas/http';
import { isUuid, route } from '../route.ts';
import type { Route } from '../route.ts';

export const couponRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/coupon-pools',
    summary: 'Coupon pools (codes imported with POST /api/imports/coupon-codes): face value, validity and stock',
    tag: 'journeys',
    permission: 'read',
    response: CouponPools,
    handler: async ({ deps }) => {
      const { rows } = await deps.pool.query<{
        name: string;
        codes: number;
        issued: number;
        redeemed: number;
        value: string | null;
        valid_days: number | null;
        expires_at: Date | null;
        created_at: Date;
      }>(
        `SELECT p.name, p.created_at, p.value, p.valid_days, p.expires_at, count(c.code)::int AS codes, count(c.coupon_id)::int AS issued,
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
          value: r.value === null ? null : Number(r.value),
          validDays: r.valid_days,
          expiresAt: r.expires_at?.toISOString() ?? null,
          createdAt: r.created_at.toISOString(),
        })),
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/coupons/referrals',
    summary: "Referral coupons that brought friends' orders, by referrer (most orders first)",
    tag: 'journeys',
    permission: 'read',
    query: CouponReferralsQuery,
    response: CouponReferrals,
    handler: async ({ deps, query }) => {
      if (query.runId !== undefined && !isUuid(query.runId)) return { referrers: [] };
      const { rows } = await deps.pool.query<{
        customer_id: string;
        nickname: string;
        code: string;
        run_id: string | null;
        orders: number;
        friends: number;
        sales: string;
        last_at: Date;
      }>(
        `SELECT k.customer_id, c.nickname, k.code, k.run_id, count(*)::int AS orders,
                count(DISTINCT r.customer_id)::int AS friends, sum(o.amount) AS sales, max(r.redeemed_at) AS last_at
         FROM coupon_referrals r
         JOIN coupons k ON k.id = r.coupon_id
         JOIN customers c ON c.id = k.customer_id
         JOIN orders o ON o.id = r.order_id
         WHERE $1::uuid IS NULL OR k.run_id = $1::uuid
         GROUP BY k.id, c.nickname
         ORDER BY orders DESC, k.customer_id
         LIMIT $2`,
        [query.runId ?? null, query.limit],
      );
      return {
        referrers: rows.map((r) => ({
          customerId: Number(r.customer_id),
          nickname: r.nickname,
          code: r.code,
          runId: r.run_id,
          orders: r.orders,
          friends: r.friends,
          sales: Number(r.sales),
          lastAt: r.last_at.toISOString(),
        })),
      };
    },
  }),
];
