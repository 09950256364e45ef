import { z } from 'zod';
import { MINUTE_MS } from './duration.ts';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Local wall-clock time, 24 h, `HH:MM`. */
export const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (00:00-23:59)');
export type TimeOfDay = z.infer<typeof TimeOfDay>;

export function minuteOfDay(time: TimeOfDay): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** A daily window `[from, to)`; `from > to` wraps past midnight (20:00-02:00). */
export const TimeWindow = z
  .strictObject({ from: TimeOfDay, to: TimeOfDay })
  .refine((w) => w.from !== w.to, { message: 'from and to must differ', path: ['to'] });
export type TimeWindow = z.infer<typeof TimeWindow>;

/** ISO weekdays, 1 = Monday ... 7 = Sunday. */
export const Weekday = z.int().min(1).max(7);
export const ALL_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const TimeZone = z.string().min(1).max(64).refine(isValidTimeZone, { message: 'unknown IANA time zone' });

const WEEK_MINUTES = 7 * 1440;

/** Which minutes of the week (Monday 00:00 = 0) fall inside the windows; a wrapped window belongs to its start day. */
export function allowedWeekMinutes(windows: readonly TimeWindow[], weekdays: readonly number[]): Uint8Array {
  const allowed = new Uint8Array(WEEK_MINUTES);
  for (const day of new Set(weekdays)) {
    for (const w of windows) {
      const from = minuteOfDay(w.from);
      let to = minuteOfDay(w.to);
      if (to <= from) to += 1440;
      for (let m = from; m < to; m++) allowed[((day - 1) * 1440 + m) % WEEK_MINUTES] = 1;
    }
  }
  return allowed;
}

/** The longest a member can wait for the next allowed minute (the largest gap, cyclic over the week). */
export function maxWindowWaitMs(windows: readonly TimeWindow[], weekdays: readonly number[]): number {
  const allowed = allowedWeekMinutes(windows, weekdays);
  const first = allowed.indexOf(1);
  if (first < 0) return Infinity;
  let longest = 0;
  let run = 0;
  for (let i = 1; i <= WEEK_MINUTES; i++) {
    if (allowed[(first + i) % WEEK_MINUTES] === 1) {
      longest = Math.max(longest, run);
      run = 0;
    } else run += 1;
  }
  return longest * MINUTE_MS;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdayIndex: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function localMinuteOfWeek(atMs: number, timeZone: string): number {
  let fmt = formatters.get(timeZone);
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, fmt);
  }
  const parts = Object.fromEntries(fmt.formatToParts(new Date(atMs)).map((p) => [p.type, p.value]));
  return ((weekdayIndex[parts.weekday] ?? 1) - 1) * 1440 + Number(parts.hour) * 60 + Number(parts.minute);
}

/**
 * The first instant at or after `atMs` that falls inside an allowed window, in `timeZone`.
 * Pure and replay-safe (Intl only). Across a DST change inside the gap it can be off by the shift;
 * the default zone (Asia/Shanghai) has none.
 */
export function nextAllowedInstant(
  atMs: number,
  windows: readonly TimeWindow[],
  weekdays: readonly number[],
  timeZone: string,
): number {
  const allowed = allowedWeekMinutes(windows, weekdays);
  const start = localMinuteOfWeek(atMs, timeZone);
  if (allowed[start] === 1) return atMs;
  const minuteStart = atMs - (((atMs % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
  for (let k = 1; k <= WEEK_MINUTES; k++) {
    if (allowed[(start + k) % WEEK_MINUTES] === 1) return minuteStart + k * MINUTE_MS;
  }
  return atMs; // no allowed minute at all: schemas forbid that, so never reached
}
