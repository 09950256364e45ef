// Journeys: drafts, validation with the compiler's structured errors, publishing immutable versions.
import { compileJourney, draftJourneyKind, journeyKindOf, validateJourney } from '@huitou/schemas';
import {
  CreateJourneyBody,
  IdParams,
  JourneyDetail,
  JourneyList,
  JourneyListQuery,
  Ok,
  PublishBody,
  SaveDraftBody,
  ValidateBody,
  ValidateResult,
  VersionDetail,
  VersionList,
  VersionParams,
  VersionSummary,
} from '@huitou/schemas/http';
import { audit } from '../../audit.ts';
import { compileOptionsOf } from '../../segments/saved-segments.ts';
import type { Db } from '../../db/transaction.ts';
import { withTransaction } from '../../db/transaction.ts';
import { conflict, notFound, unprocessable } from '../errors.ts';
import { WithStatus, isUuid, route } from '../route.ts';
import type { Route } from '../route.ts';
import { JOURNEY_COLUMNS, VERSION_COLUMNS, journeyOut, versionOut } from '../rows.ts';
import { listJourneysWithFigures } from '../../home/journey-list.ts';
import type { JourneyRow, VersionRow } from '../rows.ts';
import { withShopDefaults } from '../../shop/settings.ts';

/** A draft's kind comes from its entry node type's declared run kind (see draftJourneyKind). */
export const kindOfDraft = draftJourneyKind;

export async function loadJourney(db: Db, id: string, lock = false): Promise<JourneyRow> {
  if (!isUuid(id)) throw notFound('journey', ['params', 'id']);
  const { rows } = await db.query<JourneyRow>(
    `SELECT ${JOURNEY_COLUMNS}, j.draft FROM journeys j WHERE j.id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  if (!rows[0]) throw notFound('journey', ['params', 'id']);
  return rows[0];
}

export const journeyDetailOut = (r: JourneyRow) => ({ ...journeyOut(r), draft: r.draft ?? null });

/** Inserts a draft journey (also used by the template gallery). */
export async function insertJourney(
  db: Db,
  input: { name: string; draft: Record<string, unknown>; createdBy: string },
): Promise<JourneyRow> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO journeys (name, kind, state, draft, created_by) VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING id',
    [input.name, kindOfDraft(input.draft), 'draft', JSON.stringify(input.draft), input.createdBy],
  );
  return loadJourney(db, rows[0].id);
}

/** The version an earlier attempt with the same Idempotency-Key made (it crashed before answering). */
async function loadVersionAnswer(db: Db, versionId: string) {
  const { rows } = await db.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM journey_versions v WHERE v.id = $1`, [
    versionId,
  ]);
  return versionOut(rows[0]);
}

const notArchived = (j: JourneyRow) => {
  if (j.state === 'archived') throw conflict('the journey is archived', ['params', 'id']);
};

export const journeyRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/journeys',
    summary:
      'List journeys (last edited first) with their figures: current run, people in, messages sent; search, archived filter, pages with a total',
    tag: 'journeys',
    permission: 'read',
    query: JourneyListQuery,
    response: JourneyList,
    handler: async ({ deps, query }) => listJourneysWithFigures(deps.pool, query),
  }),
  route({
    method: 'post',
    path: '/api/journeys',
    summary: 'Create a draft journey',
    tag: 'journeys',
    permission: 'journeys.write',
    body: CreateJourneyBody,
    response: JourneyDetail,
    status: 201,
    handler: async ({ deps, body, principal }) => {
      const name = body.name ?? (typeof body.draft?.name === 'string' ? body.draft.name.trim().slice(0, 80) : '');
      if (!name)
        throw unprocessable('name_required', 'give the journey a name (name, or draft.name)', ['body', 'name']);
      const journey = await withTransaction(deps.pool, async (db) => {
        const draft = body.draft ?? (await withShopDefaults(db, { schemaVersion: 1, name, nodes: [], edges: [] }));
        const j = await insertJourney(db, { name, draft, createdBy: principal.actor });
        await audit(db, principal, 'journey.create', { type: 'journey', id: j.id }, { name });
        return j;
      });
      return journeyDetailOut(journey);
    },
  }),
  route({
    method: 'get',
    path: '/api/journeys/:id',
    summary: 'A journey with its draft',
    tag: 'journeys',
    permission: 'read',
    params: IdParams,
    response: JourneyDetail,
    handler: async ({ deps, params }) => journeyDetailOut(await loadJourney(deps.pool, params.id)),
  }),
  route({
    method: 'put',
    path: '/api/journeys/:id/draft',
    summary: 'Replace the draft (published versions never change)',
    tag: 'journeys',
    permission: 'journeys.write',
    params: IdParams,
    body: SaveDraftBody,
    response: JourneyDetail,
    handler: async ({ deps, params, body, principal }) =>
      journeyDetailOut(
        await withTransaction(deps.pool, async (db) => {
          const j = await loadJourney(db, params.id, true);
          notArchived(j);
          // The kind is fixed once a version exists: runs of both kinds must not share a journey.
          const kind = j.latest_version === null ? kindOfDraft(body.draft) : j.kind;
          await db.query(
            'UPDATE journeys SET draft = $2::jsonb, name = coalesce($3, name), kind = $4, updated_at = now() WHERE id = $1',
            [j.id, JSON.stringify(body.draft), body.name ?? null, kind],
          );
          await audit(db, principal, 'journey.edit', { type: 'journey', id: j.id });
          return loadJourney(db, j.id);
        }),
      ),
  }),
  route({
    method: 'post',
    path: '/api/journeys/:id/validate',
    summary: 'Check the draft (or the graph sent) with the compiler; returns its structured errors',
    tag: 'journeys',
    permission: 'read',
    params: IdParams,
    body: ValidateBody,
    response: ValidateResult,
    handler: async ({ deps, params, body }) => {
      const j = await loadJourney(deps.pool, params.id);
      // Category keys are checked against the shop's categories (the compiler cannot know them).
      const result = validateJourney(body?.draft ?? j.draft, await compileOptionsOf(deps.pool));
      return result.ok
        ? { ok: true, errors: [], maxDurationMs: result.maxDurationMs }
        : { ok: false, errors: result.errors.map((e) => ({ ...e, path: [...e.path] })) };
    },
  }),
  route({
    method: 'post',
    path: '/api/journeys/:id/publish',
    summary: 'Compile the draft into a new immutable version (422 with the compiler errors if invalid)',
    tag: 'journeys',
    permission: 'journeys.publish',
    params: IdParams,
    body: PublishBody,
    response: VersionSummary,
    status: 201,
    idempotent: true,
    handler: async ({ deps, params, body, principal, idempotency }) =>
      withTransaction(deps.pool, async (db) => {
        // A retry of a publish that made (or found) its version answers that version again.
        const earlier = await idempotency?.claim(db);
        if (earlier) return loadVersionAnswer(db, earlier);
        // Locked: concurrent publishes of one draft run one after the other, so they make one version.
        const j = await loadJourney(db, params.id, true);
        notArchived(j);
        const compiled = compileJourney(j.draft, await compileOptionsOf(db));
        if (!compiled.ok)
          throw unprocessable('journey_invalid', `the draft has ${compiled.errors.length} error(s)`, ['draft'], {
            errors: compiled.errors,
          });
        const kind = journeyKindOf(compiled.plan.kind);
        if (j.latest_version !== null && kind !== j.kind)
          throw unprocessable('kind_changed', `published versions are ${j.kind}; this draft is ${kind}`, [
            'draft',
            'nodes',
          ]);
        // An unchanged draft (same plan hash as the latest version) is that version: 200, not a new one.
        const latest = await db.query<VersionRow>(
          `SELECT ${VERSION_COLUMNS} FROM journey_versions v WHERE v.journey_id = $1 ORDER BY v.version DESC LIMIT 1`,
          [j.id],
        );
        if (latest.rows[0]?.plan_hash === compiled.plan.hash) {
          await idempotency?.record(db, latest.rows[0].id);
          return new WithStatus(200, versionOut(latest.rows[0]));
        }
        const version = (j.latest_version ?? 0) + 1;
        const { rows } = await db.query<VersionRow>(
          `INSERT INTO journey_versions AS v (journey_id, version, graph, plan, plan_hash, notes, published_by)
           VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7) RETURNING ${VERSION_COLUMNS}`,
          [
            j.id,
            version,
            JSON.stringify(j.draft),
            JSON.stringify(compiled.plan),
            compiled.plan.hash,
            body.notes,
            principal.actor,
          ],
        );
        await idempotency?.record(db, rows[0].id);
        await db.query(
          `UPDATE journeys SET kind = $2, state = CASE WHEN state = 'draft' THEN 'published' ELSE state END, updated_at = now() WHERE id = $1`,
          [j.id, kind],
        );
        await audit(
          db,
          principal,
          'journey.publish',
          { type: 'journey', id: j.id },
          { version, planHash: compiled.plan.hash },
        );
        return versionOut(rows[0]);
      }),
  }),
  route({
    method: 'get',
    path: '/api/journeys/:id/versions',
    summary: 'Published versions, newest first',
    tag: 'journeys',
    permission: 'read',
    params: IdParams,
    response: VersionList,
    handler: async ({ deps, params }) => {
      const j = await loadJourney(deps.pool, params.id);
      const { rows } = await deps.pool.query<VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM journey_versions v WHERE v.journey_id = $1 ORDER BY v.version DESC`,
        [j.id],
      );
      return { versions: rows.map(versionOut) };
    },
  }),
  route({
    method: 'get',
    path: '/api/journeys/:id/versions/:version',
    summary: 'One version with its graph and execution plan',
    tag: 'journeys',
    permission: 'read',
    params: VersionParams,
    response: VersionDetail,
    handler: async ({ deps, params }) => {
      const j = await loadJourney(deps.pool, params.id);
      const { rows } = await deps.pool.query<
        VersionRow & { graph: Record<string, unknown>; plan: Record<string, unknown> }
      >(
        `SELECT ${VERSION_COLUMNS}, v.graph, v.plan FROM journey_versions v WHERE v.journey_id = $1 AND v.version = $2`,
        [j.id, params.version],
      );
      if (!rows[0]) throw notFound('version', ['params', 'version']);
      return { ...versionOut(rows[0]), graph: rows[0].graph, plan: rows[0].plan };
    },
  }),
  route({
    method: 'post',
    path: '/api/journeys/:id/archive',
    summary: 'Archive: no more edits or runs (running runs are not touched; stop them first)',
    tag: 'journeys',
    permission: 'journeys.write',
    params: IdParams,
    response: Ok,
    handler: async ({ deps, params, principal }) =>
      withTransaction(deps.pool, async (db) => {
        const j = await loadJourney(db, params.id, true);
        notArchived(j);
        await db.query(
          `UPDATE journeys SET state = 'archived', archived_at = now(), updated_at = now() WHERE id = $1`,
          [j.id],
        );
        await audit(db, principal, 'journey.archive', { type: 'journey', id: j.id }, { previousState: j.state });
        return { ok: true as const };
      }),
  }),
  route({
    method: 'post',
    path: '/api/journeys/:id/unarchive',
    summary:
      'Unarchive: back to the state it was archived from (a journey never published is a draft again); ended schedules stay ended',
    tag: 'journeys',
    permission: 'journeys.write',
    params: IdParams,
    response: JourneyDetail,
    handler: async ({ deps, params, principal }) =>
      journeyDetailOut(
        await withTransaction(deps.pool, async (db) => {
          const j = await loadJourney(db, params.id, true);
          if (j.state !== 'archived') throw conflict('the journey is not archived', ['params', 'id']);
          const state = await stateBeforeArchive(db, j);
          await db.query(`UPDATE journeys SET state = $2, archived_at = NULL, updated_at = now() WHERE id = $1`, [
            j.id,
            state,
          ]);
          await audit(db, principal, 'journey.unarchive', { type: 'journey', id: j.id }, { state });
          return loadJourney(db, j.id);
        }),
      ),
  }),
];

/** The state the last archive recorded; without one (archived by hand in SQL), draft or stopped. */
async function stateBeforeArchive(db: Db, j: JourneyRow): Promise<string> {
  const { rows } = await db.query<{ state: string | null }>(
    `SELECT details->>'previousState' AS state FROM audit_log
     WHERE entity_type = 'journey' AND entity_id = $1 AND action = 'journey.archive' ORDER BY at DESC, id DESC LIMIT 1`,
    [j.id],
  );
  const state = rows[0]?.state;
  if (state && state !== 'archived') return state;
  return j.latest_version === null ? 'draft' : 'stopped';
}
