// Simulating a draft on a sandbox: per-node figures of who would pass, what would be sent and cost.
import { z } from 'zod';
import { DraftGraph } from './common.ts';

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
});
export type Simulation = z.infer<typeof Simulation>;

export const SimulationAudience = z
  .union([z.literal('demo_shop'), z.strictObject({ customerId: z.int().min(1) })])
  .describe("'demo_shop' (the deterministic demo shop) or one real customer copied into the sandbox");
export type SimulationAudience = z.infer<typeof SimulationAudience>;
export const SimulateBody = z.strictObject({ graph: DraftGraph.optional(), audience: SimulationAudience });
export type SimulateRequest = z.input<typeof SimulateBody>;
