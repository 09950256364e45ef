// Runs: start an audience run now or at a time, list, detail with counts, members, ops controls.
import {
  ControlResult,
  IdParams,
  JourneyControlResult,
  MemberPage,
  MembersQuery,
  Run,
  RunDetail,
  RunList,
  RunListQuery,
  StartRunBody,
} from '@huitou/schemas/http';
import type { PositionCount } from '@huitou/schemas/http';
import type { z } from 'zod';
import { audit } from '../../audit.ts';
import type { Db } from '../../db/transaction.ts';
import { iso, withTransaction } from '../../db/transaction.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, conflict, notFound, unprocessable } from '../errors.ts';
import type { Principal } from '../auth.ts';
import { isUuid, route } from '../route.ts';
import type { Route } from '../route.ts';
import { RUN_COLUMNS, runOut } from '../rows.ts';
import type { RunRow } from '../rows.ts';
import {
  RUN_CONTROLS,
  liveCounts,
  liveWaiting,
  runControls,
  signalRun,
  startAudienceWorkflow,
} from '../../runs/temporal.ts';
import { waitingGroups } from '../../runs/waiting.ts';
import { entryStartAt } from '../../runs/review.ts';
import type { RunControl } from '../../runs/temporal.ts';
import { findVersion, insertAudienceRun } from '../../runs/audience-run.ts';
import { loadPlan } from '../../plans/load-plan.ts';
import { loadJourney } from './journeys.ts';
import { listRunsPage } from '../../home/run-list.ts';

export async function loadRun(db: Db, id: string, lock = false): Promise<RunRow> {
  if (!isUuid(id)) throw notFound('run', ['params', 'id']);
  const { rows } = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM runs r WHERE r.id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  if (!rows[0]) throw notFound('run', ['params', 'id']);
  return rows[0];
}

/** Runs in these states are live: a second one of the same version would message the same audience again. */
const LIVE_RUN_STATES = ['pending', 'running', 'paused', 'draining'];

/** A second live run of one version is almost always a double click or a retry: 409 unless asked for. */
async function refuseSecondLiveRun(db: Db, journeyId: string, versionId: string, version: number) {
  const { rows } = await db.query<{ id: string; state: string }>(
    `SELECT id, state FROM runs WHERE journey_id = $1 AND version_id = $2 AND state = ANY($3) ORDER BY created_at, id LIMIT 1`,
    [journeyId, versionId, LIVE_RUN_STATES],
  );
  if (rows[0])
    throw new ApiError(
      409,
      'run_live',
      `run ${rows[0].id} of version ${version} is ${rows[0].state}; stop it first, or send allowConcurrent: true to start another`,
      ['params', 'id'],
      { runId: rows[0].id },
    );
}

const temporalUnavailable = (error: unknown) =>
  new ApiError(
    503,
    'temporal_unavailable',
    `Temporal did not accept the request: ${error instanceof Error ? error.message : String(error)}`,
  );

/** Applies one control to a locked run: state in Postgres (what activities re-check), then the signal. */
async function controlRun(
  db: Db,
  deps: ApiDeps,
  principal: Principal,
  run: RunRow,
  control: RunControl,
  via: 'run' | 'journey',
) {
  const spec = RUN_CONTROLS[control];
  if (!(spec.from as readonly string[]).includes(run.state)) {
    throw conflict(`cannot ${control} a run that is ${run.state}`, ['params', 'id']);
  }
  const ends = control === 'stop';
  const { rows } = await db.query<RunRow>(
    `UPDATE runs r SET state = $2, ended_at = CASE WHEN $3 THEN now() ELSE ended_at END WHERE id = $1 RETURNING ${RUN_COLUMNS}`,
    [run.id, spec.state, ends],
  );
  let signalled = false;
  if (deps.temporal && run.workflow_id && run.state !== 'scheduled' && run.state !== 'pending') {
    try {
      signalled = await signalRun(deps.temporal.client, run.workflow_id, control);
    } catch (error) {
      throw temporalUnavailable(error);
    }
    // The workflow is gone (ended, or never started): only stop still means something then. A
    // journey-wide control passes over such a run, recording that it ended, instead of failing.
    if (!signalled && !ends) {
      if (via === 'run') throw conflict(`the run's workflow is not running; cannot ${control}`, ['params', 'id']);
      const ended = await db.query<RunRow>(
        `UPDATE runs r SET state = 'completed', ended_at = coalesce(ended_at, now()) WHERE id = $1 RETURNING ${RUN_COLUMNS}`,
        [run.id],
      );
      return { run: runOut(ended.rows[0]), signalled };
    }
  }
  await audit(
    db,
    principal,
    `run.${control}`,
    { type: 'run', id: run.id },
    { from: run.state, to: spec.state, signalled, via },
  );
  return { run: runOut(rows[0]), signalled };
}

const controlRoutes: Route[] = runControls.map((control) =>
  route({
    method: 'post',
    path: `/api/runs/:id/${control}`,
    summary: `${control[0].toUpperCase()}${control.slice(1)} a run (signal + state in Postgres)`,
    tag: 'runs',
    permission: 'runs.control',
    params: IdParams,
    response: ControlResult,
    handler: async ({ deps, params, principal }) =>
      withTransaction(deps.pool, async (db) =>
        controlRun(db, deps, principal, await loadRun(db, params.id, true), control, 'run'),
      ),
  }),
);

const JOURNEY_CONTROL_STATES: Record<RunControl, { from: string[]; to: string }> = {
  pause: { from: ['published', 'draining'], to: 'paused' },
  resume: { from: ['paused'], to: 'published' },
  drain: { from: ['published'], to: 'draining' },
  stop: { from: ['published', 'paused', 'draining'], to: 'stopped' },
};

const journeyControlRoutes: Route[] = runControls.map((control) =>
  route({
    method: 'post',
    path: `/api/journeys/:id/${control}`,
    summary: `${control[0].toUpperCase()}${control.slice(1)} a journey: its state and every active run`,
    tag: 'runs',
    permission: 'runs.control',
    params: IdParams,
    response: JourneyControlResult,
    handler: async ({ deps, params, principal }) =>
      withTransaction(deps.pool, async (db) => {
        const j = await loadJourney(db, params.id, true);
        const rule = JOURNEY_CONTROL_STATES[control];
        if (!rule.from.includes(j.state))
          throw conflict(`cannot ${control} a journey that is ${j.state}`, ['params', 'id']);
        await db.query('UPDATE journeys SET state = $2, updated_at = now() WHERE id = $1', [j.id, rule.to]);
        await audit(db, principal, `journey.${control}`, { type: 'journey', id: j.id }, { from: j.state, to: rule.to });
        const { rows } = await db.query<RunRow>(
          `SELECT ${RUN_COLUMNS} FROM runs r WHERE r.journey_id = $1 AND r.state = ANY($2) ORDER BY r.created_at FOR UPDATE`,
          [j.id, [...RUN_CONTROLS[control].from]],
        );
        const runs = [];
        for (const run of rows) runs.push(await controlRun(db, deps, principal, run, control, 'journey'));
        return { state: rule.to, runs };
      }),
  }),
);

export const runRoutes: Route[] = [
  route({
    method: 'post',
    path: '/api/journeys/:id/runs',
    summary: 'Start an audience run of a published version, now or at a time',
    tag: 'runs',
    permission: 'runs.start',
    params: IdParams,
    body: StartRunBody,
    response: Run,
    status: 201,
    idempotent: true,
    handler: async ({ deps, params, body, principal, idempotency }) => {
      const now = deps.now?.() ?? new Date();
      const { run, plan } = await withTransaction(deps.pool, async (db) => {
        // A retry of a request that made its run (then crashed or timed out) goes on with that run.
        const earlier = await idempotency?.claim(db);
        if (earlier) {
          const run = await loadRun(db, earlier);
          return { run, plan: await loadPlan(db, run.version_id) };
        }
        const j = await loadJourney(db, params.id, true);
        if (j.state === 'archived' || j.state === 'stopped')
          throw conflict(`the journey is ${j.state}`, ['params', 'id']);
        if (j.kind !== 'audience')
          throw unprocessable('not_audience', 'triggered journeys start from events (POST /api/events), not by hand', [
            'params',
            'id',
          ]);
        const version = await findVersion(db, j.id, body.version);
        if (!version)
          throw body.version
            ? notFound('version', ['body', 'version'])
            : unprocessable('not_published', 'publish the journey first', ['params', 'id']);
        if (!body.allowConcurrent) await refuseSecondLiveRun(db, j.id, version.id, version.version);
        // The entry's own start time is honoured (the review shows it): a future one schedules the
        // run; a past one starts it now. A startAt in the body overrides it.
        const startAt = body.startAt ? new Date(body.startAt) : (entryStartAt(version.plan) ?? undefined);
        const later = startAt !== undefined && startAt.getTime() > now.getTime();
        const id = (await insertAudienceRun(db, {
          journeyId: j.id,
          version,
          scheduledFor: later ? startAt : undefined,
        })) as string;
        await idempotency?.record(db, id);
        await audit(
          db,
          principal,
          'run.create',
          { type: 'run', id },
          { journeyId: j.id, versionId: version.id, startAt: iso(startAt ?? null) },
        );
        return { run: await loadRun(db, id), plan: version.plan };
      });
      if (run.state !== 'pending' || !deps.temporal) return runOut(run);

      // Committed first: the workflow's first activity writes run_members, which reference the row.
      // The workflow id is the run's, so a retry or the pending-run sweep never starts a second one.
      let workflowId: string;
      try {
        workflowId = await startAudienceWorkflow(deps.temporal.client, deps.config.temporal.taskQueue, {
          runId: run.id,
          journeyId: run.journey_id,
          versionId: run.version_id,
          plan,
        });
      } catch (error) {
        await deps.pool.query(
          `UPDATE runs SET state = 'failed_to_start', ended_at = now() WHERE id = $1 AND state = 'pending'`,
          [run.id],
        );
        throw temporalUnavailable(error);
      }
      const { rows } = await deps.pool.query<RunRow>(
        `UPDATE runs r SET state = 'running', workflow_id = $2, started_at = now() WHERE id = $1 AND state = 'pending' RETURNING ${RUN_COLUMNS}`,
        [run.id, workflowId],
      );
      return runOut(rows[0] ?? (await loadRun(deps.pool, run.id)));
    },
  }),
  route({
    method: 'get',
    path: '/api/runs',
    summary: 'List runs across journeys, newest first, with their journey names; filters and pages with a total',
    tag: 'runs',
    permission: 'read',
    query: RunListQuery,
    response: RunList,
    handler: async ({ deps, query }) => {
      if ([query.journeyId, query.scheduleId].some((id) => id !== undefined && !isUuid(id)))
        return { runs: [], total: 0 };
      if (query.from && query.to && Date.parse(query.from) >= Date.parse(query.to))
        throw unprocessable('empty_period', 'to must be after from', ['query', 'to']);
      return listRunsPage(deps.pool, query);
    },
  }),
  route({
    method: 'get',
    path: '/api/runs/:id',
    summary: 'A run with members per position (Postgres) and live per-node counts (the workflow, while it runs)',
    tag: 'runs',
    permission: 'read',
    params: IdParams,
    response: RunDetail,
    handler: async ({ deps, params }) => {
      const run = await loadRun(deps.pool, params.id);
      const { rows } = await deps.pool.query<z.infer<typeof PositionCount>>(
        `SELECT position, count(*)::int AS members, count(*) FILTER (WHERE exited_at IS NULL)::int AS active,
                count(*) FILTER (WHERE exited_at IS NOT NULL)::int AS exited, count(*) FILTER (WHERE holdout)::int AS holdout
         FROM run_members WHERE run_id = $1 GROUP BY position ORDER BY position NULLS FIRST`,
        [run.id],
      );
      const temporal = deps.temporal;
      const live =
        temporal && run.workflow_id
          ? await liveCounts(temporal.client, run.workflow_id, run.shard_count ?? 0)
          : undefined;
      // Only a running workflow is asked (a closed one would need a replay to answer a query).
      const found =
        live && temporal && run.workflow_id
          ? await liveWaiting(temporal.client, run.workflow_id, run.shard_count ?? 0)
          : undefined;
      const waiting = found ? waitingGroups(await loadPlan(deps.pool, run.version_id), found.cohorts) : null;
      const nextCheckpointAt = found?.checkpointsDue.length ? new Date(Math.min(...found.checkpointsDue)) : null;
      const controls = runControls.filter((c) => (RUN_CONTROLS[c].from as readonly string[]).includes(run.state));
      return {
        ...runOut(run),
        positions: rows,
        live: live ?? null,
        controls,
        waiting,
        nextCheckpointAt: iso(nextCheckpointAt),
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/runs/:id/members',
    summary: 'Members of a run and their positions (keyset pages by customer id)',
    tag: 'runs',
    permission: 'read',
    params: IdParams,
    query: MembersQuery,
    response: MemberPage,
    handler: async ({ deps, params, query }) => {
      const run = await loadRun(deps.pool, params.id);
      const { rows } = await deps.pool.query<{
        customer_id: string;
        holdout: boolean;
        shard: number;
        position: string | null;
        entered_at: Date;
        exited_at: Date | null;
        exit_reason: string | null;
      }>(
        `SELECT customer_id, holdout, shard, position, entered_at, exited_at, exit_reason FROM run_members
         WHERE run_id = $1 AND customer_id > $2 AND ($3::text IS NULL OR position = $3) ORDER BY customer_id LIMIT $4`,
        [run.id, query.after, query.position ?? null, query.limit],
      );
      const members = rows.map((m) => ({
        customerId: Number(m.customer_id),
        holdout: m.holdout,
        shard: m.shard,
        position: m.position,
        enteredAt: iso(m.entered_at) as string,
        exitedAt: iso(m.exited_at),
        exitReason: m.exit_reason,
      }));
      return { members, next: members.length === query.limit ? members[members.length - 1].customerId : null };
    },
  }),
  ...controlRoutes,
  ...journeyControlRoutes,
];
