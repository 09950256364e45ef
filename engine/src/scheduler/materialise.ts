// The scheduler tick's first half: every active schedule whose next occurrence is due becomes a
// 'scheduled' run of that occurrence (startDueRuns then starts it like any run "at a time").
// Exactly once: the schedule row is locked (SKIP LOCKED, so several engines share the work) and
// runs are unique per (schedule, occurrence), so a restart or a second engine never doubles one.
import { audit } from '../audit.ts';
import type { Db } from '../db/transaction.ts';
import { withTransaction } from '../db/transaction.ts';
import type { EngineDeps } from '../deps.ts';
import { findVersion, insertAudienceRun } from '../runs/audience-run.ts';
import { occurrenceAfter } from './recurrence.ts';
import { SCHEDULE_COLUMNS, advanceSchedule, nextOccurrenceWithin, recurrenceOf } from './store.ts';
import type { ScheduleRow } from './store.ts';

/** Journeys in these states will never run again: their schedules end. */
const FINAL_JOURNEY_STATES = ['stopped', 'archived'];

/** Materialises every due occurrence at `now`; returns the ids of the runs it created. */
export async function materialiseDueOccurrences(deps: Pick<EngineDeps, 'pool'>, now: Date): Promise<string[]> {
  const created: string[] = [];
  for (;;) {
    const outcome = await withTransaction(deps.pool, async (db) => {
      const { rows } = await db.query<ScheduleRow>(
        `SELECT ${SCHEDULE_COLUMNS} FROM schedules s WHERE s.state = 'active' AND s.next_at <= $1 ORDER BY s.next_at LIMIT 1 FOR UPDATE OF s SKIP LOCKED`,
        [now],
      );
      return rows[0] ? { runId: await materialise(db, rows[0], now) } : undefined;
    });
    if (!outcome) return created;
    if (outcome.runId) created.push(outcome.runId);
  }
}

/**
 * One due schedule, locked. Occurrences missed while no engine ran are not caught up: only the
 * latest due one runs (a daily audience started three times at once helps nobody); the skipped
 * ones are counted in the audit log.
 */
async function materialise(db: Db, schedule: ScheduleRow, now: Date): Promise<string | null> {
  const rule = recurrenceOf(schedule);
  let occurrence = (schedule.next_at as Date).getTime();
  let missed = 0;
  for (
    let next = occurrenceAfter(rule, occurrence);
    next <= now.getTime() && (!schedule.until || next <= schedule.until.getTime());
    next = occurrenceAfter(rule, next)
  ) {
    occurrence = next;
    missed += 1;
  }
  const at = new Date(occurrence);
  const entity = { type: 'schedule', id: schedule.id };
  const { rows } = await db.query<{ state: string }>('SELECT state FROM journeys WHERE id = $1', [schedule.journey_id]);
  const journeyState = rows[0].state;
  if (FINAL_JOURNEY_STATES.includes(journeyState)) {
    await advanceSchedule(db, schedule.id, null);
    await audit(db, 'system', 'schedule.end', entity, { reason: `journey ${journeyState}` });
    return null;
  }
  await advanceSchedule(db, schedule.id, nextOccurrenceWithin(rule, occurrence + 1, schedule.until));

  // A paused or draining journey takes no new entries: the occurrence passes without a run.
  if (journeyState !== 'published') {
    await audit(db, 'system', 'schedule.skip', entity, {
      occurrence: at.toISOString(),
      reason: `journey ${journeyState}`,
      missed,
    });
    return null;
  }
  const version = await findVersion(db, schedule.journey_id, schedule.version ?? undefined);
  if (!version) throw new Error(`schedule ${schedule.id}: journey ${schedule.journey_id} has no published version`);
  const runId = await insertAudienceRun(db, {
    journeyId: schedule.journey_id,
    version,
    scheduledFor: at,
    occurrence: { scheduleId: schedule.id, at },
  });
  if (runId)
    await audit(
      db,
      'system',
      'run.create',
      { type: 'run', id: runId },
      {
        journeyId: schedule.journey_id,
        versionId: version.id,
        scheduleId: schedule.id,
        occurrence: at.toISOString(),
        missed,
      },
    );
  return runId;
}
