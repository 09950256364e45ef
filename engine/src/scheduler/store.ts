// Schedule rows: the columns, the API shape, and the rule as the occurrence arithmetic reads it.
import type { Schedule, ScheduleState } from '@huitou/schemas/http';
import type { z } from 'zod';
import type { Db } from '../db/transaction.ts';
import { iso } from '../db/transaction.ts';
import { firstOccurrenceFrom } from './recurrence.ts';
import type { Recurrence } from './recurrence.ts';

export const SCHEDULE_COLUMNS = `s.id, s.journey_id, s.version_id, (SELECT v.version FROM journey_versions v WHERE v.id = s.version_id) AS version,
  s.every, s.at, s.weekday, s.month_day, s.time_zone, s.start_from, s.until, s.state, s.next_at, s.created_by, s.created_at, s.updated_at`;

export interface ScheduleRow {
  id: string;
  journey_id: string;
  version_id: string | null;
  version: number | null;
  every: Recurrence['every'];
  at: string;
  weekday: number | null;
  month_day: number | null;
  time_zone: string;
  start_from: Date;
  until: Date | null;
  state: z.infer<typeof ScheduleState>;
  next_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export const scheduleOut = (r: ScheduleRow): z.input<typeof Schedule> => ({
  id: r.id,
  journeyId: r.journey_id,
  versionId: r.version_id,
  version: r.version,
  every: r.every,
  at: r.at,
  weekday: r.weekday,
  monthDay: r.month_day,
  timeZone: r.time_zone,
  startFrom: iso(r.start_from) as string,
  until: iso(r.until),
  state: r.state,
  nextAt: iso(r.next_at),
  createdBy: r.created_by,
  createdAt: iso(r.created_at) as string,
  updatedAt: iso(r.updated_at) as string,
});

export const recurrenceOf = (
  r: Pick<ScheduleRow, 'every' | 'at' | 'weekday' | 'month_day' | 'time_zone'>,
): Recurrence => ({
  every: r.every,
  at: r.at,
  weekday: r.weekday,
  monthDay: r.month_day,
  timeZone: r.time_zone,
});

/** The first occurrence at or after `fromMs` that is not past `until`; null when there is none. */
export function nextOccurrenceWithin(rule: Recurrence, fromMs: number, until: Date | null): Date | null {
  const next = firstOccurrenceFrom(rule, fromMs);
  return until && next > until.getTime() ? null : new Date(next);
}

/** Moves a schedule to its next occurrence, or ends it when there is none before `until`. */
export async function advanceSchedule(db: Db, id: string, nextAt: Date | null): Promise<void> {
  await db.query('UPDATE schedules SET next_at = $2, state = $3, updated_at = now() WHERE id = $1', [
    id,
    nextAt,
    nextAt ? 'active' : 'ended',
  ]);
}
