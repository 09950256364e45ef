// Simulating a draft on a sandbox: per-node figures of who would pass, what would be sent and cost.
import { z } from 'zod';
import { OrderEvent } from '../events.ts';
import { DraftGraph } from './common.ts';

const orderEventCount = OrderEvent.options.length;

const Counts = z.record(z.string(), z.number());
const NaturalRate = z.object({ windowDays: z.number(), base: z.int(), returned: z.int(), rate: z.number() });
export const ExpectedResponses = z
  .object({ treatment: z.int(), natural: NaturalRate, responses: z.int() })
  .describe('Treatment members x the natural repurchase rate of the sandbox history over the same window');
export type ExpectedResponses = z.infer<typeof ExpectedResponses>;

export const SimulatedNode = z.object({
  id: z.string(),
  type: z.string(),
  label: z.string().nullable(),
  entered: z.int(),
  exited: z.int(),
  ports: Counts,
  sms: z.object({ sent: z.int(), failed: z.int(), skipped: Counts, segments: z.int(), cost: z.number() }).optional(),
  coupons: z.object({ done: z.int(), skipped: Counts, value: z.number() }).optional(),
  actions: z.object({ done: z.int(), skipped: Counts }).optional(),
  expected: ExpectedResponses.optional(),
});
export type SimulatedNode = z.infer<typeof SimulatedNode>;

/** A follow-up event the journey waits for, as the marketer set it or as the shop's history had it. */
export const FollowUpRate = z.object({
  event: OrderEvent,
  percent: z.number(),
  withinMinutes: z.int(),
  source: z.enum(['set', 'learned']),
  history: z
    .object({
      from: z.enum(['shop', 'demo_shop']),
      orders: z.int(),
      happened: z.int(),
    })
    .optional()
    .describe('Learned rates: the orders old enough to have had the whole window, and those where the event came'),
  /** Follow-up events the simulation delivered. */
  delivered: z.int(),
});
export type FollowUpRate = z.infer<typeof FollowUpRate>;

/** How the simulated population was formed, and the entry's count on the shop's own data. */
export const SimulationPopulation = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('segment'),
    source: z.enum(['demo_shop', 'customer']),
    /** Customers in the sandbox, and those the entry's audience took. */
    customers: z.int(),
    members: z.int(),
    /** The same audience on the shop's own data, now. */
    shopMembers: z.int(),
  }),
  z.object({
    kind: z.literal('orders'),
    source: z.enum(['demo_shop', 'customer']),
    /** Orders sampled (the latest ones), each triggering once, and their creation span. */
    orders: z.int(),
    firstAt: z.string().nullable(),
    lastAt: z.string().nullable(),
    /** Orders the shop itself created in the last 7 days (what would trigger it live). */
    shopOrders7d: z.int(),
  }),
]);
export type SimulationPopulation = z.infer<typeof SimulationPopulation>;

/** One message of a one-customer simulation, at the journey's own time. */
export const SimulatedMessage = z.object({
  at: z.string(),
  nodeId: z.string(),
  smsClass: z.enum(['marketing', 'notification']),
  sent: z.boolean(),
  skipReason: z.string().nullable(),
  /** The rendered text, signature and opt-out included (null when skipped before rendering). */
  body: z.string().nullable(),
});
export type SimulatedMessage = z.infer<typeof SimulatedMessage>;

export const Simulation = z.object({
  audience: z.union([
    z.object({ kind: z.literal('demo_shop'), customers: z.int() }),
    z.object({ kind: z.literal('customer'), customerId: z.int() }),
  ]),
  startedAt: z.string(),
  endedAt: z.string(),
  simulatedDays: z.number(),
  runId: z
    .string()
    .nullable()
    .describe(
      "The audience run's id inside the sandbox: the holdout is drawn from it, and it is derived from the plan",
    ),
  members: z.int(),
  holdout: z.int(),
  totals: z.object({
    smsSent: z.int(),
    smsSegments: z.int(),
    smsCost: z.number(),
    couponsIssued: z.int(),
    couponValue: z.number(),
    expected: ExpectedResponses,
  }),
  nodes: z.array(SimulatedNode),
  population: SimulationPopulation,
  followUps: z.array(FollowUpRate),
  timeline: z.array(SimulatedMessage).optional().describe("One customer's simulation: that customer's messages"),
});
export type Simulation = z.infer<typeof Simulation>;

export const SimulationAudience = z
  .union([z.literal('demo_shop'), z.strictObject({ customerId: z.int().min(1) })])
  .describe("'demo_shop' (the deterministic demo shop) or one real customer copied into the sandbox");
export type SimulationAudience = z.infer<typeof SimulationAudience>;
export const FollowUpSetting = z
  .strictObject({
    event: OrderEvent,
    percent: z.number().min(0).max(100),
    withinMinutes: z
      .int()
      .min(1)
      .max(60 * 24 * 30)
      .optional()
      .describe("Default: the timeout of the journey's first wait for this event"),
  })
  .describe('"40% pay within 30 minutes"; events the journey waits for and not set here are learned');
export type FollowUpSetting = z.infer<typeof FollowUpSetting>;
export const SimulateBody = z.strictObject({
  graph: DraftGraph.optional(),
  audience: SimulationAudience,
  followUps: z.array(FollowUpSetting).max(orderEventCount).optional(),
});
export type SimulateRequest = z.input<typeof SimulateBody>;
