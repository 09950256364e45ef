// Recurring schedules of audience runs: create ("every day at 09:30"), list (with the schedule drawn
// on the journey's entry, ready to create), pause, resume, delete. The scheduler tick turns their
// occurrences into runs (schedules/materialise.ts).
import type { ExecutionPlan } from '@huitou/schemas';
import {
  IdParams,
  Schedule,
  ScheduleBody,
  ScheduleIndex,
  ScheduleIndexQuery,
  ScheduleList,
} from '@huitou/schemas/http';
import type { z } from 'zod';
import { audit } from '../../audit.ts';
import type { Db } from '../../db/transaction.ts';
import { withTransaction } from '../../db/transaction.ts';
import { ApiError, conflict, notFound, unprocessable } from '../errors.ts';
import { keyNameJoin, listPage } from '../list-page.ts';
import { isUuid, route } from '../route.ts';
import type { Route } from '../route.ts';
import { findVersion } from '../../runs/audience-run.ts';
import { endOfLocalDate, startOfLocalDate } from '../../scheduler/recurrence.ts';
import {
  SCHEDULE_COLUMNS,
  advanceSchedule,
  nextOccurrenceWithin,
  recurrenceOf,
  scheduleOut,
} from '../../scheduler/store.ts';
import type { ScheduleRow } from '../../scheduler/store.ts';
import { loadJourney } from './journeys.ts';

type ScheduleBody = z.infer<typeof ScheduleBody>;

/**
 * The drawn schedule of the journey's entry (entry.audience, kind 'recurring') as a request body;
 * null when it has none.
 */
function drawnSchedule(plan: ExecutionPlan | undefined): z.input<typeof ScheduleBody> | null {
  const entry = plan?.nodes[plan.entry];
  if (entry?.type !== 'entry.audience' || entry.params.schedule.kind !== 'recurring') return null;
  const s = entry.params.schedule;
  return {
    every: s.every,
    at: s.at,
    ...(s.every === 'week' ? { weekday: s.weekday } : {}),
    ...(s.every === 'month' ? { monthDay: s.dayOfMonth } : {}),
    ...(s.until ? { until: s.until } : {}),
  };
}

const bad = (field: string, message: string) => new ApiError(400, 'invalid_request', message, ['body', field]);

/** A date is a local calendar day of the schedule's zone: from its start, until its end. */
const boundMs = (value: string, timeZone: string, edge: 'start' | 'end') =>
  /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? (edge === 'start' ? startOfLocalDate : endOfLocalDate)(value, timeZone)
    : new Date(value).getTime();

async function loadSchedule(db: Db, id: string, lock = false): Promise<ScheduleRow> {
  if (!isUuid(id)) throw notFound('schedule', ['params', 'id']);
  const { rows } = await db.query<ScheduleRow>(
    `SELECT ${SCHEDULE_COLUMNS} FROM schedules s WHERE s.id = $1${lock ? ' FOR UPDATE OF s' : ''}`,
    [id],
  );
  if (!rows[0]) throw notFound('schedule', ['params', 'id']);
  return rows[0];
}

async function createSchedule(db: Db, journeyId: string, body: ScheduleBody, now: Date, actor: string) {
  const j = await loadJourney(db, journeyId, true);
  if (j.state === 'archived' || j.state === 'stopped') throw conflict(`the journey is ${j.state}`, ['params', 'id']);
  if (j.kind !== 'audience')
    throw unprocessable('not_audience', 'triggered journeys start from events (POST /api/events), not on a schedule', [
      'params',
      'id',
    ]);
  const version = await findVersion(db, j.id, body.version);
  if (!version)
    throw body.version
      ? notFound('version', ['body', 'version'])
      : unprocessable('not_published', 'publish the journey first', ['params', 'id']);

  const timeZone = body.timeZone ?? version.plan.settings.timeZone;
  const startFrom = body.startFrom ? boundMs(body.startFrom, timeZone, 'start') : now.getTime();
  const until = body.until ? new Date(boundMs(body.until, timeZone, 'end')) : null;
  if (until && until.getTime() < startFrom) throw bad('until', 'until is before startFrom');
  const rule = {
    every: body.every,
    at: body.at,
    weekday: body.weekday ?? null,
    monthDay: body.monthDay ?? null,
    timeZone,
  };
  const nextAt = nextOccurrenceWithin(rule, Math.max(startFrom, now.getTime()), until);
  if (!nextAt) throw bad('until', 'no occurrence falls between startFrom (or now) and until');
  await refuseTwin(db, j.id, body.version ? version.id : null, rule, until);

  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO schedules (journey_id, version_id, every, at, weekday, month_day, time_zone, start_from, until, next_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      j.id,
      body.version ? version.id : null,
      rule.every,
      rule.at,
      rule.weekday,
      rule.monthDay,
      timeZone,
      new Date(startFrom),
      until,
      nextAt,
      actor,
    ],
  );
  return rows[0].id;
}

/**
 * A second schedule with the same rule on the same journey would send every occurrence twice; it is
 * a retry or a double click (the Idempotency-Key answers retries; this catches them without one).
 */
async function refuseTwin(
  db: Db,
  journeyId: string,
  versionId: string | null,
  rule: { every: string; at: string; weekday: number | null; monthDay: number | null; timeZone: string },
  until: Date | null,
) {
  const { rows } = await db.query<{ id: string; state: string }>(
    `SELECT id, state FROM schedules WHERE journey_id = $1 AND state IN ('active', 'paused')
       AND version_id IS NOT DISTINCT FROM $2 AND every = $3 AND at = $4 AND weekday IS NOT DISTINCT FROM $5
       AND month_day IS NOT DISTINCT FROM $6 AND time_zone = $7 AND until IS NOT DISTINCT FROM $8
     ORDER BY created_at, id LIMIT 1`,
    [journeyId, versionId, rule.every, rule.at, rule.weekday, rule.monthDay, rule.timeZone, until],
  );
  if (rows[0])
    throw new ApiError(
      409,
      'schedule_exists',
      `schedule ${rows[0].id} (${rows[0].state}) already runs this journey on the same rule; change or delete it instead`,
      ['params', 'id'],
      { scheduleId: rows[0].id },
    );
}

/** What pause, resume and delete do to a locked schedule, and from which states. */
const SCHEDULE_ACTIONS: Record<
  'pause' | 'resume' | 'delete',
  { from: ScheduleRow['state'][]; summary: string; apply: (db: Db, s: ScheduleRow, now: Date) => Promise<unknown> }
> = {
  pause: {
    from: ['active'],
    summary: 'Pause a schedule: its occurrences pass without runs',
    apply: (db, s) => db.query(`UPDATE schedules SET state = 'paused', updated_at = now() WHERE id = $1`, [s.id]),
  },
  resume: {
    from: ['paused'],
    summary: 'Resume a paused schedule from its next occurrence (missed ones are not caught up)',
    apply: (db, s, now) =>
      advanceSchedule(
        db,
        s.id,
        nextOccurrenceWithin(recurrenceOf(s), Math.max(now.getTime(), s.start_from.getTime()), s.until),
      ),
  },
  delete: {
    from: ['active', 'paused', 'ended'],
    summary: 'Delete a schedule: no further occurrences (its runs stay, and keep naming it)',
    apply: (db, s) =>
      db.query(`UPDATE schedules SET state = 'deleted', next_at = NULL, updated_at = now() WHERE id = $1`, [s.id]),
  },
};

const scheduleActionRoutes: Route[] = (['pause', 'resume', 'delete'] as const).map((action) =>
  route({
    method: action === 'delete' ? 'delete' : 'post',
    path: action === 'delete' ? '/api/schedules/:id' : `/api/schedules/:id/${action}`,
    summary: SCHEDULE_ACTIONS[action].summary,
    tag: 'schedules',
    permission: 'runs.start',
    params: IdParams,
    response: Schedule,
    handler: async ({ deps, params, principal }) =>
      withTransaction(deps.pool, async (db) => {
        const s = await loadSchedule(db, params.id, true);
        if (!SCHEDULE_ACTIONS[action].from.includes(s.state))
          throw conflict(`cannot ${action} a schedule that is ${s.state}`, ['params', 'id']);
        await SCHEDULE_ACTIONS[action].apply(db, s, deps.now?.() ?? new Date());
        await audit(db, principal, `schedule.${action}`, { type: 'schedule', id: s.id }, { from: s.state });
        return scheduleOut(await loadSchedule(db, s.id));
      }),
  }),
);

export const scheduleRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/schedules',
    summary:
      "Every journey's schedules, newest first, with the journey's name (deleted ones only when asked for by state)",
    tag: 'schedules',
    permission: 'read',
    query: ScheduleIndexQuery,
    response: ScheduleIndex,
    handler: async ({ deps, query }) => {
      const { rows, total } = await listPage<ScheduleRow & { journey_name: string; created_by_name: string | null }>(
        deps.pool,
        {
          columns: `${SCHEDULE_COLUMNS}, j.name AS journey_name, k.name AS created_by_name`,
          from: `FROM schedules s JOIN journeys j ON j.id = s.journey_id ${keyNameJoin('s.created_by')}
            WHERE CASE WHEN $1::text IS NULL THEN s.state <> 'deleted' ELSE s.state = $1 END`,
          order: 's.created_at DESC, s.id',
          args: [query.state ?? null],
          limit: query.limit,
          offset: query.offset,
        },
      );
      return {
        schedules: rows.map((r) => ({
          ...scheduleOut(r),
          journeyName: r.journey_name,
          createdByName: r.created_by_name,
        })),
        total,
      };
    },
  }),
  route({
    method: 'post',
    path: '/api/journeys/:id/schedules',
    summary: 'Run a published audience journey on a recurring schedule (every day, week or month at a local time)',
    tag: 'schedules',
    permission: 'runs.start',
    params: IdParams,
    body: ScheduleBody,
    response: Schedule,
    status: 201,
    idempotent: true,
    handler: async ({ deps, params, body, principal, idempotency }) =>
      withTransaction(deps.pool, async (db) => {
        // A retry of a request that made its schedule (then crashed) answers that schedule.
        const earlier = await idempotency?.claim(db);
        if (earlier) return scheduleOut(await loadSchedule(db, earlier));
        const id = await createSchedule(db, params.id, body, deps.now?.() ?? new Date(), principal.actor);
        await idempotency?.record(db, id);
        const schedule = await loadSchedule(db, id);
        await audit(
          db,
          principal,
          'schedule.create',
          { type: 'schedule', id },
          { journeyId: schedule.journey_id, ...body },
        );
        return scheduleOut(schedule);
      }),
  }),
  route({
    method: 'get',
    path: '/api/journeys/:id/schedules',
    summary:
      "A journey's schedules (newest first), and the one drawn on its entry as a body ready to POST (null if none)",
    tag: 'schedules',
    permission: 'read',
    params: IdParams,
    response: ScheduleList,
    handler: async ({ deps, params }) => {
      const j = await loadJourney(deps.pool, params.id);
      const { rows } = await deps.pool.query<ScheduleRow>(
        `SELECT ${SCHEDULE_COLUMNS} FROM schedules s WHERE s.journey_id = $1 ORDER BY s.created_at DESC, s.id`,
        [j.id],
      );
      return { schedules: rows.map(scheduleOut), drawn: drawnSchedule((await findVersion(deps.pool, j.id))?.plan) };
    },
  }),
  route({
    method: 'get',
    path: '/api/schedules/:id',
    summary: 'One schedule with its next occurrence',
    tag: 'schedules',
    permission: 'read',
    params: IdParams,
    response: Schedule,
    handler: async ({ deps, params }) => scheduleOut(await loadSchedule(deps.pool, params.id)),
  }),
  ...scheduleActionRoutes,
];
