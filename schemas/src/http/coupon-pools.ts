// Coupon pools: platform codes imported as CSV (POST /api/imports/coupon-codes), drawn by coupon nodes.
import { z } from 'zod';
import { Timestamp } from './common.ts';

export const CouponPools = z.object({
  pools: z.array(
    z.object({
      name: z.string(),
      codes: z.int().describe('Codes imported'),
      issued: z.int().describe('Handed out to members'),
      left: z.int(),
      redeemed: z.int().describe('Issued codes an order was paid with'),
      createdAt: Timestamp,
    }),
  ),
});
