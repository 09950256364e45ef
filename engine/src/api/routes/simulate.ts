// Simulating a draft before anything real is sent: the saved draft (or the graph sent) runs on a
// sandbox (engine/src/simulate/), and the answer is per-node figures.
import type pg from 'pg';
import { compileJourney } from '@huitou/schemas';
import { IdParams, SimulateBody, Simulation } from '@huitou/schemas/http';
import { conflict, notFound, unprocessable } from '../errors.ts';
import type { ApiError } from '../errors.ts';
import { route } from '../route.ts';
import type { Route } from '../route.ts';
import { SimulationError, simulateJourney } from '../../simulate/simulate.ts';
import type { SimulationFailure } from '../../simulate/simulate.ts';
import { loadJourney } from './journeys.ts';
import { knownSavedSegments } from '../../segments/saved-segments.ts';

/** The graph sent, or else the journey's saved draft, compiled; 422 `journey_invalid` at its path otherwise. */
export async function compiledDraft(pool: pg.Pool, journeyId: string, graph: unknown) {
  const journey = await loadJourney(pool, journeyId);
  const graphPath = graph ? ['body', 'graph'] : ['draft'];
  const compiled = compileJourney(graph ?? journey.draft, {
    savedSegments: await knownSavedSegments(pool),
  });
  if (!compiled.ok)
    throw unprocessable('journey_invalid', `the graph has ${compiled.errors.length} error(s)`, graphPath, {
      errors: compiled.errors,
    });
  return { journey, plan: compiled.plan, graphPath };
}

/** A simulation's failure as the API answers it (the test send runs one too). */
export const simulationApiError = (e: SimulationError, graphPath: (string | number)[]): ApiError =>
  failures[e.failure](e, graphPath);

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
      const { plan, graphPath } = await compiledDraft(deps.pool, params.id, body.graph);
      try {
        return await simulateJourney({
          plan,
          audience: body.audience,
          followUps: body.followUps,
          shop: deps.pool,
          log: deps.log,
        });
      } catch (error) {
        if (error instanceof SimulationError) throw simulationApiError(error, graphPath);
        throw error;
      }
    },
  }),
];
