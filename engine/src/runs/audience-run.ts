// The one way an audience run row is made: by hand (POST /api/journeys/:id/runs) or by a
// recurring schedule's occurrence (schedules/materialise.ts).
import type { ExecutionPlan } from '@huitou/schemas';
import type { Db } from '../db/transaction.ts';
import { loadPlan } from '../plans/load-plan.ts';

export interface PublishedVersion {
  id: string;
  version: number;
  plan: ExecutionPlan;
}

/** The given version number of a journey, or its latest when none is given; undefined if there is none. */
export async function findVersion(db: Db, journeyId: string, version?: number): Promise<PublishedVersion | undefined> {
  const { rows } = await db.query<{ id: string; version: number }>(
    `SELECT id, version FROM journey_versions WHERE journey_id = $1 ${version ? 'AND version = $2' : ''} ORDER BY version DESC LIMIT 1`,
    version ? [journeyId, version] : [journeyId],
  );
  return rows[0] && { ...rows[0], plan: await loadPlan(db, rows[0].id) };
}

/**
 * Inserts a run of `version`: 'scheduled' when it starts later (the scheduler tick starts it),
 * otherwise 'pending'. A schedule's occurrence gets at most one run (unique constraint): a second
 * insert of the same occurrence returns null and writes nothing.
 */
export async function insertAudienceRun(
  db: Db,
  input: {
    journeyId: string;
    version: PublishedVersion;
    scheduledFor?: Date;
    occurrence?: { scheduleId: string; at: Date };
  },
): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO runs (journey_id, version_id, kind, state, scheduled_for, holdout_ratio, schedule_id, occurrence)
     VALUES ($1, $2, 'audience', $3, $4, $5, $6, $7)
     ON CONFLICT ON CONSTRAINT runs_schedule_occurrence_once DO NOTHING RETURNING id`,
    [
      input.journeyId,
      input.version.id,
      input.scheduledFor ? 'scheduled' : 'pending',
      input.scheduledFor ?? null,
      (input.version.plan.settings.holdoutPercent ?? 0) / 100,
      input.occurrence?.scheduleId ?? null,
      input.occurrence?.at ?? null,
    ],
  );
  return rows[0]?.id ?? null;
}
