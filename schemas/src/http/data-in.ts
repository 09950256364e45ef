// Data in: order-lifecycle events, SMS delivery receipts, opt-out replies.
import { z } from 'zod';
import { OrderEvent } from '../events.ts';
import { Instant } from '../instant.ts';
import { parsePhone } from '../phone.ts';

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

export const EventIn = z.strictObject({
  idempotencyKey: z.string().trim().min(1).max(200).describe('Duplicates with the same key are accepted once'),
  type: OrderEvent,
  customerId: Id,
  orderId: Id.optional(),
  occurredAt: Instant,
  payload: Payload.optional(),
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
