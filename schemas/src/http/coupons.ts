// Coupons: pools of platform codes (imported as CSV with POST /api/imports/coupon-codes, drawn by
// coupon nodes) and what referral coupons brought in, by referrer.
import { z } from 'zod';
import { Limit, Timestamp } from './common.ts';

export const CouponPools = z.object({
  pools: z.array(
    z.object({
      name: z.string(),
      codes: z.int().describe('Codes imported'),
      issued: z.int().describe('Handed out to members'),
      left: z.int(),
      redeemed: z.int().describe('Issued codes an order was paid with'),
      value: z
        .number()
        .nullable()
        .describe('Face value of its codes in yuan (null: a pool from before terms; the node sets it)'),
      validDays: z.int().nullable().describe('A code is valid this many days after it is issued'),
      expiresAt: Timestamp.nullable().describe('Or: every code ends at this time'),
      createdAt: Timestamp,
    }),
  ),
});

export const CouponReferralsQuery = z.strictObject({
  runId: z.string().optional().describe("Only this run's referral coupons"),
  limit: Limit,
});

/** Per referral coupon that brought at least one order: its owner, the friends' orders and sales. */
export const CouponReferrals = z.object({
  referrers: z.array(
    z.object({
      customerId: z.int(),
      nickname: z.string(),
      code: z.string(),
      runId: z.string().nullable(),
      orders: z.int().describe("Friends' paid orders that carried the code"),
      friends: z.int().describe('Distinct customers among them'),
      sales: z.number().describe('Their amount in yuan'),
      lastAt: Timestamp,
    }),
  ),
});
