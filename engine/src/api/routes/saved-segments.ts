// Saved segments (人群): CRUD with live counts and the journeys using each, and the segments one
// customer is in. Journeys refer to them by id; publishing snapshots the definition into the plan.
import { compileSegment, previewSegment } from '@huitou/activities/segments';
import type { Segment } from '@huitou/schemas';
import { firstJourneyContextUse, savedSegmentUses } from '@huitou/schemas';
import {
  IdParams,
  SavedSegment,
  SavedSegmentBody,
  SavedSegmentList,
  SavedSegmentListQuery,
  SavedSegmentUpdate,
} from '@huitou/schemas/http';
import { audit } from '../../audit.ts';
import { assertKnownCategories } from '../../catalogue/categories.ts';
import type { Db } from '../../db/transaction.ts';
import { iso, withTransaction } from '../../db/transaction.ts';
import { segmentUsers } from '../../segments/saved-segments.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, conflict, notFound, unprocessable } from '../errors.ts';
import { isUuid, route } from '../route.ts';
import type { Route } from '../route.ts';
import { readShopSettings } from '../../shop/settings.ts';

interface SavedSegmentRow {
  id: string;
  name: string;
  definition: Segment;
  archived: boolean;
  created_by: string | null;
  created_at: Date;
  updated_by: string | null;
  updated_at: Date;
}

const COLUMNS = 's.id, s.name, s.definition, s.archived, s.created_by, s.created_at, s.updated_by, s.updated_at';

async function loadSegment(db: Db, id: string, lock = false): Promise<SavedSegmentRow> {
  if (!isUuid(id)) throw notFound('segment', ['params', 'id']);
  const { rows } = await db.query<SavedSegmentRow>(
    `SELECT ${COLUMNS} FROM saved_segments s WHERE s.id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  if (!rows[0]) throw notFound('segment', ['params', 'id']);
  return rows[0];
}

/** What a stored definition may hold: it is counted outside any journey, and not built on other segments. */
async function assertStorable(db: Db, definition: Segment): Promise<void> {
  const base = ['body', 'definition'];
  const [nested] = savedSegmentUses(definition, base);
  if (nested)
    throw unprocessable('saved_segment_nested', 'a saved segment cannot use another saved segment', nested.path);
  const context = firstJourneyContextUse(definition);
  if (context)
    throw unprocessable(
      'needs_journey_context',
      `this condition needs the ${context.needs} of a journey member; a saved segment has none`,
      [...base, ...context.path],
    );
  await assertKnownCategories(db, definition, base);
}

/** Another live segment has the name: 409 at body.name. */
function nameTaken(error: unknown): never {
  const e = error as { code?: string; constraint?: string };
  if (e.code === '23505' && e.constraint === 'saved_segments_live_name_idx')
    throw new ApiError(409, 'segment_name_taken', 'another segment has this name', ['body', 'name']);
  throw error;
}

async function countOf(deps: ApiDeps, definition: Segment): Promise<number> {
  const { timeZone } = await readShopSettings(deps.pool);
  const preview = await previewSegment(
    deps.pool,
    definition,
    { asOf: deps.now?.() ?? new Date(), timeZone },
    { sampleSize: 0 },
  );
  return preview.count;
}

async function segmentsOut(deps: ApiDeps, rows: SavedSegmentRow[], counts: boolean): Promise<SavedSegment[]> {
  const users = await segmentUsers(
    deps.pool,
    rows.map((r) => r.id),
  );
  const out: SavedSegment[] = [];
  for (const r of rows)
    out.push({
      id: r.id,
      name: r.name,
      definition: r.definition,
      archived: r.archived,
      count: counts ? await countOf(deps, r.definition) : null,
      usedBy: users.get(r.id) ?? [],
      createdBy: r.created_by,
      createdAt: iso(r.created_at) as string,
      updatedBy: r.updated_by,
      updatedAt: iso(r.updated_at) as string,
    });
  return out;
}

/** The segments (of `rows`) the customer is in now: one query per segment, over that customer alone. */
async function segmentsOfCustomer(deps: ApiDeps, rows: SavedSegmentRow[], customerId: number) {
  const { rowCount } = await deps.pool.query('SELECT 1 FROM customers WHERE id = $1', [customerId]);
  if (!rowCount) throw notFound('customer', ['query', 'customerId']);
  const { timeZone } = await readShopSettings(deps.pool);
  const ctx = { asOf: deps.now?.() ?? new Date(), timeZone };
  const inside: SavedSegmentRow[] = [];
  for (const r of rows) {
    const compiled = compileSegment(r.definition, ctx, { members: { customerIds: [customerId] } });
    const { rows: found } = await deps.pool.query(compiled.sql, [...compiled.params]);
    if (found.length > 0) inside.push(r);
  }
  return inside;
}

export const savedSegmentRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/segments',
    summary:
      'Saved segments (not archived) by name, each with its live count (skip with counts=false) and the journeys using it; with customerId, only those the customer is in',
    tag: 'segments',
    permission: 'read',
    query: SavedSegmentListQuery,
    response: SavedSegmentList,
    handler: async ({ deps, query }) => {
      const { rows } = await deps.pool.query<SavedSegmentRow>(
        `SELECT ${COLUMNS} FROM saved_segments s WHERE NOT s.archived ORDER BY s.name, s.id`,
      );
      const chosen = query.customerId === undefined ? rows : await segmentsOfCustomer(deps, rows, query.customerId);
      return { segments: await segmentsOut(deps, chosen, query.counts === 'true') };
    },
  }),
  route({
    method: 'get',
    path: '/api/segments/:id',
    summary: 'One saved segment (archived ones too) with its live count and the journeys using it',
    tag: 'segments',
    permission: 'read',
    params: IdParams,
    query: SavedSegmentListQuery.pick({ counts: true }),
    response: SavedSegment,
    handler: async ({ deps, params, query }) => {
      const row = await loadSegment(deps.pool, params.id);
      return (await segmentsOut(deps, [row], query.counts === 'true'))[0];
    },
  }),
  route({
    method: 'post',
    path: '/api/segments',
    summary: 'Save a segment under a name (unique among segments not archived)',
    tag: 'segments',
    permission: 'journeys.write',
    body: SavedSegmentBody,
    response: SavedSegment,
    status: 201,
    handler: async ({ deps, body, principal }) => {
      const row = await withTransaction(deps.pool, async (db) => {
        await assertStorable(db, body.definition);
        const { rows } = await db
          .query<SavedSegmentRow>(
            `INSERT INTO saved_segments AS s (name, definition, created_by, updated_by)
             VALUES ($1, $2::jsonb, $3, $3) RETURNING ${COLUMNS}`,
            [body.name, JSON.stringify(body.definition), principal.actor],
          )
          .catch(nameTaken);
        await audit(db, principal, 'segment.create', { type: 'segment', id: rows[0].id }, { name: body.name });
        return rows[0];
      });
      return (await segmentsOut(deps, [row], true))[0];
    },
  }),
  route({
    method: 'patch',
    path: '/api/segments/:id',
    summary:
      'Rename a saved segment or change its definition; published journey versions keep the definition they were published with',
    tag: 'segments',
    permission: 'journeys.write',
    params: IdParams,
    body: SavedSegmentUpdate,
    response: SavedSegment,
    handler: async ({ deps, params, body, principal }) => {
      const row = await withTransaction(deps.pool, async (db) => {
        const before = await loadSegment(db, params.id, true);
        if (before.archived) throw conflict('the segment is archived', ['params', 'id']);
        if (body.definition) await assertStorable(db, body.definition);
        const { rows } = await db
          .query<SavedSegmentRow>(
            `UPDATE saved_segments AS s SET name = coalesce($2, name), definition = coalesce($3::jsonb, definition),
               updated_by = $4, updated_at = now()
             WHERE s.id = $1 RETURNING ${COLUMNS}`,
            [before.id, body.name ?? null, body.definition ? JSON.stringify(body.definition) : null, principal.actor],
          )
          .catch(nameTaken);
        await audit(
          db,
          principal,
          'segment.update',
          { type: 'segment', id: before.id },
          { ...(body.name ? { name: body.name, previousName: before.name } : {}), definition: !!body.definition },
        );
        return rows[0];
      });
      return (await segmentsOut(deps, [row], true))[0];
    },
  }),
  route({
    method: 'post',
    path: '/api/segments/:id/archive',
    summary:
      'Archive a saved segment: journeys can no longer publish with it (versions already published keep their copy); its name is free again',
    tag: 'segments',
    permission: 'journeys.write',
    params: IdParams,
    response: SavedSegment,
    handler: async ({ deps, params, principal }) => {
      const row = await withTransaction(deps.pool, async (db) => {
        const before = await loadSegment(db, params.id, true);
        if (before.archived) throw conflict('the segment is already archived', ['params', 'id']);
        const { rows } = await db.query<SavedSegmentRow>(
          `UPDATE saved_segments AS s SET archived = true, updated_by = $2, updated_at = now()
           WHERE s.id = $1 RETURNING ${COLUMNS}`,
          [before.id, principal.actor],
        );
        await audit(db, principal, 'segment.archive', { type: 'segment', id: before.id }, { name: before.name });
        return rows[0];
      });
      return (await segmentsOut(deps, [row], false))[0];
    },
  }),
];
