// Recurring schedules of audience runs.
import { z } from 'zod';
import { TimeOfDay, TimeZone, Weekday } from '../time-windows.ts';
import { BoundedDate, Instant } from '../instant.ts';
import { Limit, Timestamp } from './common.ts';

export const ScheduleState = z.enum(['active', 'paused', 'ended', 'deleted']);

export const Schedule = z.object({
  id: z.string(),
  journeyId: z.string(),
  /** Pinned version (id and number); null runs the latest published version at each occurrence. */
  versionId: z.string().nullable(),
  version: z.int().nullable(),
  every: z.enum(['day', 'week', 'month']),
  at: z.string(),
  weekday: z.int().nullable(),
  monthDay: z.int().nullable(),
  timeZone: z.string(),
  startFrom: Timestamp,
  until: Timestamp.nullable(),
  state: ScheduleState,
  nextAt: Timestamp.nullable(),
  createdBy: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const Bound = z.union([Instant, BoundedDate]);

export const ScheduleBody = z
  .strictObject({
    every: z.enum(['day', 'week', 'month']),
    at: TimeOfDay.describe('Local time, HH:MM'),
    weekday: Weekday.optional().describe('ISO weekday, 1 = Monday ... 7 = Sunday (weekly schedules)'),
    monthDay: z
      .int()
      .min(1)
      .max(31)
      .optional()
      .describe('Day of the month; past the month end means its last day (monthly schedules)'),
    timeZone: TimeZone.optional().describe("IANA zone of `at`; default the journey's"),
    startFrom: Bound.optional().describe('No occurrence before this instant (or local date); default now'),
    until: Bound.optional().describe('No occurrence after this instant (or the end of this local date)'),
    version: z.int().min(1).optional().describe('Pin a version; default the latest published at each occurrence'),
  })
  .superRefine((b, ctx) => {
    const only = (field: 'weekday' | 'monthDay', every: string) => {
      if (b.every === every && b[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `${b.every}ly schedules need ${field}` });
      if (b.every !== every && b[field] !== undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `${field} only applies to ${every}ly schedules` });
    };
    only('weekday', 'week');
    only('monthDay', 'month');
  });
export const ScheduleList = z.object({ schedules: z.array(Schedule), drawn: ScheduleBody.nullable() });

/** Every journey's schedules (GET /api/schedules), each with its journey's name. */
export const ScheduleListed = Schedule.extend({ journeyName: z.string(), createdByName: z.string().nullable() });
export const ScheduleIndex = z.object({ schedules: z.array(ScheduleListed), total: z.int() });
export type Schedule = z.infer<typeof Schedule>;
export type ScheduleRequest = z.input<typeof ScheduleBody>;
export type ScheduleList = z.infer<typeof ScheduleList>;
export type ScheduleListed = z.infer<typeof ScheduleListed>;
export type ScheduleIndex = z.infer<typeof ScheduleIndex>;
export const ScheduleIndexQuery = z.strictObject({
  state: ScheduleState.optional().describe('Default: every state but deleted'),
  limit: Limit,
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
