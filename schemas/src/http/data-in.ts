// Data in: order-lifecycle events, SMS delivery receipts, opt-out replies.
import { z } from 'zod';
import { OrderEvent, OrderStatus, ReviewRating } from '../events.ts';
import { Instant } from '../instant.ts';
import { parsePhone } from '../phone.ts';
import { DisplayName } from '../text.ts';

/** Events and receipts per request at most. */
export const MAX_BATCH = 1000;
/** An event's payload at most, as JSON: characters and nesting levels. */
export const MAX_PAYLOAD_CHARS = 16_384;
export const MAX_PAYLOAD_DEPTH = 16;

const depthOf = (v: unknown): number =>
  v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0;

const Payload = z
  .record(z.string(), z.unknown())
  .refine((p) => JSON.stringify(p).length <= MAX_PAYLOAD_CHARS, `at most ${MAX_PAYLOAD_CHARS} characters as JSON`)
  .refine((p) => depthOf(p) <= MAX_PAYLOAD_DEPTH, `nested at most ${MAX_PAYLOAD_DEPTH} levels`);
const Id = z.int().min(1).max(Number.MAX_SAFE_INTEGER);

/** A marketplace's id (buyer id, order number, review id), as the platform spells it. */
const ExternalId = z.string().trim().min(1).max(200);
/** Yuan, at most two decimals. */
const Money = z
  .number()
  .min(0)
  .max(9_999_999_999)
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'at most two decimals (yuan)');

/** A customer named by the platform's buyer id; created when new (nickname defaults to the id). */
export const EventCustomer = z.strictObject({
  externalId: ExternalId.describe("The platform's buyer id (customers.external_id)"),
  nickname: DisplayName(100).optional(),
  phone: z
    .string()
    .trim()
    .max(40)
    .refine(
      (s) => parsePhone(s).kind !== 'invalid',
      'expected a phone number: a mobile, a fixed line or a mask (138****1234)',
    )
    .optional()
    .describe(
      'A mobile (stored as E.164, texted) or a number SMS cannot reach: a fixed line, a masked 138****1234 (kept, never texted)',
    ),
  province: DisplayName(50).optional(),
  city: DisplayName(50).optional(),
});
export type EventCustomer = z.infer<typeof EventCustomer>;

export const EventOrderItem = z.strictObject({
  sku: z.string().trim().min(1).max(200).optional().describe("The product's merchant code (商家编码)"),
  title: DisplayName(200),
  quantity: z.int().min(1).max(1_000_000),
  amount: Money.describe("The line's amount in yuan"),
});

/** An order named by the platform's order number; created when new (it needs amount or items then). */
export const EventOrder = z.strictObject({
  externalId: ExternalId.describe("The platform's order number (orders.external_id)"),
  amount: Money.optional().describe('What the buyer pays, in yuan; default the sum of the items'),
  status: OrderStatus.optional().describe("The platform's status; an order never moves back"),
  createdAt: Instant.optional(),
  paidAt: Instant.optional(),
  items: z.array(EventOrderItem).min(1).max(200).optional().describe('Written when the order has no items yet'),
  carrier: DisplayName(50).optional(),
  trackingNo: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z-]{4,40}$/, 'expected a tracking number of letters, digits and dashes')
    .optional(),
  couponCode: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe("The coupon code the order was paid with: redeems the buyer's coupon"),
});
export type EventOrder = z.infer<typeof EventOrder>;

/** The review a review_posted event carries; upserted by externalId when it has one. */
export const EventReview = z.strictObject({
  externalId: ExternalId.optional().describe("The platform's review id"),
  rating: ReviewRating.describe('好评 positive, 中评 neutral, 差评 negative'),
  score: z.int().min(1).max(5).optional().describe('1-5 stars; default 5, 3 or 1 by rating'),
  content: z.string().max(2000).optional(),
});
export type EventReview = z.infer<typeof EventReview>;

export const EventIn = z
  .strictObject({
    idempotencyKey: z.string().trim().min(1).max(200).describe('Duplicates with the same key are accepted once'),
    type: OrderEvent,
    customerId: Id.optional().describe('Internal id of a customer that exists'),
    customer: EventCustomer.optional().describe('The customer by external id, created when new'),
    orderId: Id.optional().describe('Internal id of an order that exists'),
    order: EventOrder.optional().describe('The order by external id, created when new; its status moves forward'),
    review: EventReview.optional().describe('review_posted only: the review, stored'),
    occurredAt: Instant,
    payload: Payload.optional(),
  })
  .superRefine((e, ctx) => {
    if (e.customerId === undefined && e.customer === undefined)
      ctx.addIssue({ code: 'custom', path: ['customerId'], message: 'customerId or customer is required' });
    if (e.review !== undefined && e.type !== 'review_posted')
      ctx.addIssue({ code: 'custom', path: ['review'], message: 'review only applies to review_posted' });
  });
export type EventIn = z.infer<typeof EventIn>;
export const EventsBody = z.union([
  EventIn,
  z.strictObject({ events: z.array(EventIn).min(1).max(MAX_BATCH, `at most ${MAX_BATCH} events per request`) }),
]);
export const EventsAccepted = z.object({
  accepted: z.int(),
  duplicates: z.int(),
  events: z.array(z.object({ idempotencyKey: z.string(), id: z.number().nullable(), duplicate: z.boolean() })),
});

const Receipt = z
  .strictObject({
    provider: z.string().min(1).max(40),
    providerMessageId: z.string().min(1).max(200).optional(),
    messageKey: z.string().min(1).max(500).optional(),
    status: z.enum(['delivered', 'failed']),
    billedSegments: z.int().min(0).max(100).optional(),
    at: Instant,
    errorCode: z.string().max(100).optional(),
  })
  .refine((r) => r.providerMessageId !== undefined || r.messageKey !== undefined, {
    message: 'providerMessageId or messageKey is required',
    path: ['providerMessageId'],
  });
export const ReceiptsBody = z.strictObject({
  receipts: z.array(Receipt).min(1).max(MAX_BATCH, `at most ${MAX_BATCH} receipts per request`),
});
export const ReceiptsResult = z.object({ received: z.int(), updated: z.int() });

/** A vendor's own time: `2026-11-11 00:00:05`, Beijing time without an offset. */
const BeijingTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'expected yyyy-MM-dd HH:mm:ss (Beijing time)')
  .transform((s) => new Date(`${s.replace(' ', 'T')}+08:00`));
const vendorBatch = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1).max(MAX_BATCH, `at most ${MAX_BATCH} receipts per request`);

/** Aliyun's SMS receipt push (SmsReport over HTTP): fields as Aliyun sends them; others ignored. */
export const AliyunReceiptsBody = vendorBatch(
  z.looseObject({
    phone_number: z.string(),
    report_time: BeijingTime,
    success: z.boolean(),
    err_code: z.string().max(100).optional(),
    sms_size: z.coerce.number().int().min(0).max(100).optional(),
    biz_id: z.string().min(1).max(200),
    out_id: z.string().min(1).max(500).optional(),
  }),
);
/** Aliyun takes the push as received when the answer's code is 0. */
export const AliyunReceiptsResult = z.object({ code: z.literal(0), msg: z.string(), updated: z.int() });

/** Tencent Cloud SMS status callback (短信下发状态通知): `sid` is SendSms' SerialNo. */
export const TencentReceiptsBody = vendorBatch(
  z.looseObject({
    user_receive_time: BeijingTime,
    mobile: z.string(),
    report_status: z.enum(['SUCCESS', 'FAIL']),
    errmsg: z.string().max(100).optional(),
    sid: z.string().min(1).max(200),
  }),
);
/** Tencent takes the callback as received when `result` is 0. */
export const TencentReceiptsResult = z.object({ result: z.literal(0), errmsg: z.string(), updated: z.int() });

/** A mobile number an SMS can reach (parsePhone's rules): anything else is a 400 naming the field. */
export const Phone = z
  .string()
  .refine((s) => parsePhone(s).kind === 'mobile', 'expected a mobile phone number, e.g. +8613800000000');

/** A Phone as stored: E.164 (a bare 11-digit mainland mobile gets +86). */
export function normalizePhone(phone: string): string {
  const parsed = parsePhone(phone);
  if (parsed.kind !== 'mobile') throw new Error('normalizePhone takes a number Phone accepted');
  return parsed.e164;
}
export const OptOutBody = z.strictObject({
  phone: Phone,
  text: z.string().max(500).optional().describe('The SMS reply; only opt-out keywords opt out'),
  source: z.string().max(100).optional(),
});
export const OptOutResult = z.object({
  optedOut: z.boolean(),
  alreadyOptedOut: z.boolean(),
  customerId: z.number().nullable(),
});
