// Customers: the lookup (by nickname, phone digits, external id or id) that the Customers page,
// the one-customer simulation and the test send share, and one customer's page: profile,
// RFM/lifecycle, opt-out state, orders, messages (sent and skipped, with the reason) and journeys.
// Phones are masked (****5678) unless the role may see them (permission customers.phone).
import { z } from 'zod';
import { LifecycleGroupId } from '../rfm.ts';
import { Timestamp } from './common.ts';

/** Search results per page by default (the simulator's picker shows this many). */
export const CUSTOMER_SEARCH_LIMIT = 10;

export const CustomerSearchQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .describe('Part of a nickname, 4+ digits of a phone number, an external (marketplace) id or a customer id'),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
  limit: z.coerce.number().int().min(1).max(50).default(CUSTOMER_SEARCH_LIMIT),
});
export const CustomerMatch = z.object({
  id: z.int(),
  externalId: z.string().nullable(),
  nickname: z.string(),
  /** Masked (****5678) unless the role may see phones. */
  phone: z.string().nullable(),
  orders: z.int(),
  lastOrderAt: z.string().nullable(),
});
export type CustomerMatch = z.infer<typeof CustomerMatch>;
export const CustomerMatches = z.object({
  customers: z.array(CustomerMatch),
  /** The offset of the next page; null on the last one. */
  next: z.int().nullable(),
});
export type CustomerMatches = z.infer<typeof CustomerMatches>;

/** Path parameters of one customer's endpoints: the numeric id (anything else answers 404). */
export const CustomerParams = z.strictObject({ id: z.string() });

/** Pages of a customer's orders, messages and journeys: newest first. */
export const CustomerPageQuery = z.strictObject({
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const CustomerProfile = z.object({
  id: z.int(),
  externalId: z.string().nullable(),
  nickname: z.string(),
  name: z.string().nullable(),
  gender: z.enum(['male', 'female', 'unknown']),
  province: z.string().nullable(),
  city: z.string().nullable(),
  birthday: z.string().nullable().describe('YYYY-MM-DD'),
  /** The mobile SMS reaches; masked unless the role may see phones. */
  phone: z.string().nullable(),
  phoneKind: z.enum(['mobile', 'fixed_line', 'masked']).nullable(),
  tags: z.array(z.string()),
  registeredAt: Timestamp,
  marketing: z.object({
    timesMarketed: z.int(),
    timesResponded: z.int(),
    lastMarketedAt: Timestamp.nullable(),
    lastRespondedAt: Timestamp.nullable(),
  }),
  /** Purchases (paid, not refunded) and the lifecycle group by the default rules, in the shop's time zone. */
  rfm: z.object({
    purchases: z.int(),
    totalSpend: z.number(),
    lastPurchaseAt: Timestamp.nullable(),
    daysSinceLastPurchase: z.int().nullable(),
    lifecycle: LifecycleGroupId,
  }),
  optOut: z.object({
    /** Marketing SMS never reach an opted-out number (notifications still do). */
    optedOut: z.boolean(),
    since: Timestamp.nullable(),
    source: z.string().nullable(),
    /** Suppressions in force (complaints, manual blocks), with their end (null: permanent). */
    suppressions: z.array(z.object({ reason: z.string(), until: Timestamp.nullable(), createdAt: Timestamp })),
  }),
});
export type CustomerProfile = z.infer<typeof CustomerProfile>;

export const CustomerOrder = z.object({
  id: z.int(),
  externalId: z.string().nullable(),
  channel: z.string(),
  status: z.string(),
  amount: z.number(),
  discount: z.number(),
  itemCount: z.int(),
  /** Item titles (or the product's name) in line order. */
  items: z.array(
    z.object({ title: z.string().nullable(), category: z.string(), quantity: z.int(), amount: z.number() }),
  ),
  createdAt: Timestamp,
  paidAt: Timestamp.nullable(),
});
export type CustomerOrder = z.infer<typeof CustomerOrder>;
export const CustomerOrders = z.object({ orders: z.array(CustomerOrder), next: z.int().nullable() });
export type CustomerOrders = z.infer<typeof CustomerOrders>;

export const CustomerMessage = z.object({
  id: z.int(),
  journeyId: z.string().nullable(),
  journeyName: z.string().nullable(),
  runId: z.string().nullable(),
  nodeId: z.string().nullable(),
  smsClass: z.enum(['marketing', 'notification']),
  status: z.string(),
  /** Why it was not sent (opted_out, frequency_cap, quiet_hours, ...); null when it was. */
  skipReason: z.string().nullable(),
  body: z.string().nullable(),
  createdAt: Timestamp,
  sentAt: Timestamp.nullable(),
});
export type CustomerMessage = z.infer<typeof CustomerMessage>;
export const CustomerMessages = z.object({ messages: z.array(CustomerMessage), next: z.int().nullable() });
export type CustomerMessages = z.infer<typeof CustomerMessages>;

export const CustomerJourney = z.object({
  journeyId: z.string(),
  journeyName: z.string(),
  runId: z.string(),
  runKind: z.enum(['audience', 'triggered']),
  runState: z.string(),
  holdout: z.boolean(),
  /** The node the customer last reached. */
  position: z.string().nullable(),
  enteredAt: Timestamp,
  exitedAt: Timestamp.nullable(),
  exitReason: z.string().nullable(),
});
export type CustomerJourney = z.infer<typeof CustomerJourney>;
export const CustomerJourneys = z.object({ journeys: z.array(CustomerJourney), next: z.int().nullable() });
export type CustomerJourneys = z.infer<typeof CustomerJourneys>;
