// Simulating a draft before anything real is sent: the saved draft (or the graph sent) runs on a
// sandbox (engine/src/simulate/), and the answer is per-node figures.
import { compileJourney } from '@huitou/schemas';
import { IdParams, SimulateBody, Simulation } from '@huitou/schemas/http';
import { conflict, notFound, unprocessable } from '../errors.ts';
import type { ApiError } from '../errors.ts';
import { route } from '../route.ts';
import type { Route } from '../route.ts';
import { SimulationError, simulateJourney } from '../../simulate/simulate.ts';
import type { SimulationFailure } from '../../simulate/simulate.ts';
import { loadJourney } from './journeys.ts';

const failures: Record<SimulationFailure, (e: SimulationError, graphPath: (string | number)[]) => ApiError> = {
  busy: (e) => conflict(e.message),
  too_large: (e) => unprocessable('simulation_too_large', e.message, ['body', 'audience']),
  timeout: (e) => unprocessable('simulation_timeout', e.message),
  unsupported: (e, graphPath) =>
    unprocessable(
      'simulation_unsupported',
      e.message,
      [...graphPath, 'nodes'],
      e.nodeId ? { nodeId: e.nodeId } : undefined,
    ),
  customer_not_found: (e) => notFound(e.message.replace(/ not found$/, ''), ['body', 'audience', 'customerId']),
  no_orders: (e) => unprocessable('simulation_no_orders', e.message, ['body', 'audience']),
};

export const simulateRoutes: Route[] = [
  route({
    method: 'post',
    path: '/api/journeys/:id/simulate',
    summary:
      'Run the draft (or the graph sent) on a time-skipping sandbox: per node who would pass, SMS sent and skipped, cost, coupons, expected responses',
    tag: 'journeys',
    permission: 'journeys.write',
    params: IdParams,
    body: SimulateBody,
    response: Simulation,
    handler: async ({ deps, params, body }) => {
      const journey = await loadJourney(deps.pool, params.id);
      const graphPath = body.graph ? ['body', 'graph'] : ['draft'];
      const compiled = compileJourney(body.graph ?? journey.draft);
      if (!compiled.ok)
        throw unprocessable('journey_invalid', `the graph has ${compiled.errors.length} error(s)`, graphPath, {
          errors: compiled.errors,
        });
      try {
        return await simulateJourney({
          plan: compiled.plan,
          audience: body.audience,
          followUps: body.followUps,
          shop: deps.pool,
          log: deps.log,
        });
      } catch (error) {
        if (error instanceof SimulationError) throw failures[error.failure](error, graphPath);
        throw error;
      }
    },
  }),
];
