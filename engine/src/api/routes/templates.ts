// The template gallery: the journeys the product ships (docs/domain.md § The other templates), each
// a draft in one call.
import { templateCatalogue } from '@huitou/schemas';
import { FromTemplateBody, JourneyDetail, TemplateList, TemplateParams } from '@huitou/schemas/http';
import { audit } from '../../audit.ts';
import { categoriesBySales } from '../../catalogue/categories.ts';
import type { Db } from '../../db/transaction.ts';
import { withTransaction } from '../../db/transaction.ts';
import { notFound } from '../errors.ts';
import { route } from '../route.ts';
import type { Route } from '../route.ts';
import { insertJourney, journeyDetailOut, kindOfDraft } from './journeys.ts';
import { withShopDefaults } from '../../shop/settings.ts';

/**
 * A template as a plain draft: one that uses categories is built from the shop's own, largest by
 * sales first (docs/domain.md § The 11.11 new-buyer journey).
 */
async function asDraft(db: Db, id: string, asOf: Date): Promise<Record<string, unknown>> {
  const t = templateCatalogue[id];
  const graph = t.forShop ? t.forShop(await categoriesBySales(db, asOf)) : t.graph;
  return JSON.parse(JSON.stringify(graph)) as Record<string, unknown>;
}

export const templateRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/templates',
    summary: 'The template gallery',
    tag: 'templates',
    permission: 'read',
    response: TemplateList,
    handler: async ({ deps }) => ({
      templates: await mapAsync(Object.keys(templateCatalogue), async (id) => {
        const graph = await asDraft(deps.pool, id, deps.now?.() ?? new Date());
        const { label, description } = templateCatalogue[id];
        return {
          id,
          name: String(graph.name),
          description: typeof graph.description === 'string' ? graph.description : null,
          card: { label, description },
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
    params: TemplateParams,
    body: FromTemplateBody,
    response: JourneyDetail,
    status: 201,
    handler: async ({ deps, params, body, principal }) => {
      if (!Object.hasOwn(templateCatalogue, params.templateId)) throw notFound('template', ['params', 'templateId']);
      const draft = await asDraft(deps.pool, params.templateId, deps.now?.() ?? new Date());
      const name = body?.name ?? String(draft.name);
      if (body?.name) draft.name = body.name;
      const j = await withTransaction(deps.pool, async (db) => {
        const created = await insertJourney(db, {
          name,
          draft: await withShopDefaults(db, draft),
          createdBy: principal.actor,
        });
        await audit(
          db,
          principal,
          'journey.create',
          { type: 'journey', id: created.id },
          { template: params.templateId },
        );
        return created;
      });
      return journeyDetailOut(j);
    },
  }),
];

async function mapAsync<T, U>(items: readonly T[], fn: (item: T) => Promise<U>): Promise<U[]> {
  const out: U[] = [];
  for (const item of items) out.push(await fn(item));
  return out;
}
