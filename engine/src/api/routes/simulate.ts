// Simulating a draft before anything real is sent: the saved draft (or the graph sent) runs on a
// sandbox (engine/src/simulate/), and the answer is per-node figures.
import { compileJourney } from '@huitou/schemas';
import { z } from 'zod';
import { conflict, notFound, unprocessable } from '../errors.ts';
import type { ApiError } from '../errors.ts';
import { IdParams, route } from '../route.ts';
import type { Route } from '../route.ts';
import { DraftGraph } from '../schemas.ts';
import { SimulationError, simulateJourney } from '../../simulate/simulate.ts';
import type { SimulationFailure } from '../../simulate/simulate.ts';
import { loadJourney } from './journeys.ts';

const Counts = z.record(z.string(), z.number());
const Natural = z.object({ windowDays: z.number(), base: z.int(), returned: z.int(), rate: z.number() });
const Expected = z.object({ treatment: z.int(), natural: Natural, responses: z.int() }).describe('Treatment members x the natural repurchase rate of the sandbox history over the same window');

const SimulatedNode = z.object({
  id: z.string(),
  type: z.string(),
  label: z.string().nullable(),
  entered: z.int(),
  exited: z.int(),
  ports: Counts,
  sms: z.object({ sent: z.int(), failed: z.int(), skipped: Counts, segments: z.int(), cost: z.number() }).optional(),
  coupons: z.object({ done: z.int(), skipped: Counts, value: z.number() }).optional(),
  actions: z.object({ done: z.int(), skipped: Counts }).optional(),
  expected: Expected.optional(),
});

export const SimulationOut = z.object({
  audience: z.union([z.object({ kind: z.literal('demo_shop'), customers: z.int() }), z.object({ kind: z.literal('customer'), customerId: z.int() })]),
  startedAt: z.string(),
  endedAt: z.string(),
  simulatedDays: z.number(),
  runId: z.string().nullable().describe("The audience run's id inside the sandbox: the holdout is drawn from it, and it is derived from the plan"),
  members: z.int(),
  holdout: z.int(),
  totals: z.object({ smsSent: z.int(), smsSegments: z.int(), smsCost: z.number(), couponsIssued: z.int(), couponValue: z.number(), expected: Expected }),
  nodes: z.array(SimulatedNode),
});

const failures: Record<SimulationFailure, (e: SimulationError, graphPath: (string | number)[]) => ApiError> = {
  busy: (e) => conflict(e.message),
  too_large: (e) => unprocessable('simulation_too_large', e.message, ['body', 'audience']),
  timeout: (e) => unprocessable('simulation_timeout', e.message),
  unsupported: (e, graphPath) => unprocessable('simulation_unsupported', e.message, [...graphPath, 'nodes'], e.nodeId ? { nodeId: e.nodeId } : undefined),
  customer_not_found: (e) => notFound(e.message.replace(/ not found$/, ''), ['body', 'audience', 'customerId']),
  no_orders: (e) => unprocessable('simulation_no_orders', e.message, ['body', 'audience']),
};

export const simulateRoutes: Route[] = [
  route({
    method: 'post',
    path: '/api/journeys/:id/simulate',
    summary: 'Run the draft (or the graph sent) on a time-skipping sandbox: per node who would pass, SMS sent and skipped, cost, coupons, expected responses',
    tag: 'journeys',
    permission: 'journeys.write',
    params: IdParams,
    body: z.strictObject({
      graph: DraftGraph.optional(),
      audience: z.union([z.literal('demo_shop'), z.strictObject({ customerId: z.int().min(1) })]).describe("'demo_shop' (the deterministic demo shop) or one real customer copied into the sandbox"),
    }),
    response: SimulationOut,
    handler: async ({ deps, params, body }) => {
      const journey = await loadJourney(deps.pool, params.id);
      const graphPath = body.graph ? ['body', 'graph'] : ['draft'];
      const compiled = compileJourney(body.graph ?? journey.draft);
      if (!compiled.ok) throw unprocessable('journey_invalid', `the graph has ${compiled.errors.length} error(s)`, graphPath, { errors: compiled.errors });
      try {
        return await simulateJourney({ plan: compiled.plan, audience: body.audience, shop: deps.pool, log: deps.log });
      } catch (error) {
        if (error instanceof SimulationError) throw failures[error.failure](error, graphPath);
        throw error;
      }
    },
  }),
];
