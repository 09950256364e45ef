// The segment preview: how many customers a segment matches now, and a masked sample.
import { z } from 'zod';
import { Segment } from '../segment.ts';
import { Instant } from '../instant.ts';
import { Timestamp } from './common.ts';

const TimeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown time zone');

export const SegmentPreviewBody = z.strictObject({
  segment: Segment,
  asOf: Instant.optional(),
  timeZone: TimeZone.default('Asia/Shanghai'),
  sampleSize: z.int().min(0).max(200).default(20),
});
export type SegmentPreviewRequest = z.input<typeof SegmentPreviewBody>;

export const SegmentPreview = z.object({
  count: z.int(),
  sample: z.array(
    z.object({
      customerId: z.number(),
      nickname: z.string(),
      gender: z.string(),
      province: z.string().nullable(),
      city: z.string().nullable(),
      phone: z.string().nullable(),
      orderCount: z.int(),
      totalSpend: z.number(),
      lastPurchaseAt: Timestamp.nullable(),
    }),
  ),
});
export type SegmentPreview = z.infer<typeof SegmentPreview>;
