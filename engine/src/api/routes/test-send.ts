// Test sends before launch: colleagues' numbers in the shop settings, and the journey's messages
// rendered for one customer sent to them (engine/src/test-send/).
import { localSinkProvider } from '@huitou/activities/side-effects';
import { IdParams, TestPhones, TestSendBody, TestSendResult, UpdateTestPhonesBody } from '@huitou/schemas/http';
import { withTransaction } from '../../db/transaction.ts';
import { CustomerNotFound } from '../../simulate/sandbox.ts';
import { SimulationError } from '../../simulate/simulate.ts';
import { readTestPhones, testSend, writeTestPhones } from '../../test-send/test-send.ts';
import { notFound } from '../errors.ts';
import { route } from '../route.ts';
import type { Route } from '../route.ts';
import { compiledDraft, simulationApiError } from './simulate.ts';

export const testSendRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/test-phones',
    summary: "Colleagues' numbers that test sends go to",
    tag: 'journeys',
    permission: 'journeys.write',
    response: TestPhones,
    handler: async ({ deps }) => ({ phones: await readTestPhones(deps.pool) }),
  }),
  route({
    method: 'put',
    path: '/api/test-phones',
    summary: "Replace the colleagues' numbers (mobiles only: 422 names the first bad one)",
    tag: 'journeys',
    permission: 'journeys.write',
    body: UpdateTestPhonesBody,
    response: TestPhones,
    handler: async ({ deps, body }) =>
      withTransaction(deps.pool, async (db) => ({ phones: await writeTestPhones(db, body.phones) })),
  }),
  route({
    method: 'post',
    path: '/api/journeys/:id/test-send',
    summary:
      "Send the journey's messages, rendered for one customer, to colleagues' numbers; marked test, never counted, capped or deduplicated with real sends",
    tag: 'journeys',
    permission: 'journeys.write',
    params: IdParams,
    body: TestSendBody,
    response: TestSendResult,
    idempotent: true,
    handler: async ({ deps, params, body, principal, idempotency }) => {
      const { journey, plan, graphPath } = await compiledDraft(deps.pool, params.id, body.graph);
      try {
        return await testSend({
          pool: deps.pool,
          provider: deps.smsProvider ?? localSinkProvider(deps.pool),
          journeyId: journey.id,
          plan,
          customerId: body.customerId,
          numbers: body.numbers,
          requestedBy: principal.name,
          idempotency,
          log: deps.log,
        });
      } catch (error) {
        if (error instanceof CustomerNotFound) throw notFound('customer', ['body', 'customerId']);
        if (error instanceof SimulationError)
          throw error.failure === 'customer_not_found'
            ? notFound('customer', ['body', 'customerId'])
            : simulationApiError(error, graphPath);
        throw error;
      }
    },
  }),
];
