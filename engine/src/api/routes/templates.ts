// The template gallery: the journeys the product ships (docs/domain.md § The other templates), each a draft in one call.
import { journeyTemplates } from '@huitou/schemas';
import { z } from 'zod';
import { audit } from '../../audit.ts';
import { withTransaction } from '../../db/transaction.ts';
import { notFound } from '../errors.ts';
import { route } from '../route.ts';
import type { Route } from '../route.ts';
import { DraftGraph, JourneyDetail, JourneyKind } from '../schemas.ts';
import { insertJourney, journeyDetailOut, kindOfDraft } from './journeys.ts';

const asDraft = (id: string) => JSON.parse(JSON.stringify(journeyTemplates[id])) as Record<string, unknown>;

const Template = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  kind: JourneyKind,
  nodeCount: z.int(),
  graph: DraftGraph,
});

export const templateRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/templates',
    summary: 'The template gallery',
    tag: 'templates',
    permission: 'read',
    response: z.object({ templates: z.array(Template) }),
    handler: async () => ({
      templates: Object.keys(journeyTemplates).map((id) => {
        const graph = asDraft(id);
        return {
          id,
          name: String(graph.name),
          description: typeof graph.description === 'string' ? graph.description : null,
          kind: kindOfDraft(graph),
          nodeCount: Array.isArray(graph.nodes) ? graph.nodes.length : 0,
          graph,
        };
      }),
    }),
  }),
  route({
    method: 'post',
    path: '/api/templates/:templateId/journeys',
    summary: 'Create a draft journey from a template',
    tag: 'templates',
    permission: 'journeys.write',
    params: z.strictObject({ templateId: z.string() }),
    body: z.strictObject({ name: z.string().trim().min(1).max(80).optional() }).optional(),
    response: JourneyDetail,
    status: 201,
    handler: async ({ deps, params, body, principal }) => {
      if (!Object.hasOwn(journeyTemplates, params.templateId)) throw notFound('template', ['params', 'templateId']);
      const draft = asDraft(params.templateId);
      const name = body?.name ?? String(draft.name);
      if (body?.name) draft.name = body.name;
      const j = await withTransaction(deps.pool, async (db) => {
        const created = await insertJourney(db, { name, draft, createdBy: principal.actor });
        await audit(db, principal, 'journey.create', { type: 'journey', id: created.id }, { template: params.templateId });
        return created;
      });
      return journeyDetailOut(j);
    },
  }),
];
