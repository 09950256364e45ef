// Occurrences of a recurring schedule ("every day at 09:30 Asia/Shanghai", "every Monday at
// 10:00", "the 31st of every month"): local wall-clock times in an IANA zone, turned into instants.
// Pure (Intl only), so the API, the scheduler tick and the unit tests share one definition.
import { minuteOfDay } from '@huitou/schemas';
import type { TimeOfDay } from '@huitou/schemas';

export interface Recurrence {
  readonly every: 'day' | 'week' | 'month';
  /** Local time, HH:MM. */
  readonly at: TimeOfDay;
  /** ISO weekday (1 = Monday ... 7 = Sunday); weekly schedules only. */
  readonly weekday?: number | null;
  /** 1-31; a day past the month's end is its last day (31 = month end); monthly schedules only. */
  readonly monthDay?: number | null;
  readonly timeZone: string;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, fmt);
  }
  return fmt;
}

/** The local wall clock at `ms`, as if it were UTC (so calendar arithmetic is plain Date.UTC). */
function wallClock(ms: number, timeZone: string): number {
  const p = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
}

/** Offset of the zone from UTC at `ms`, in whole minutes' worth of ms. */
const offsetAt = (ms: number, timeZone: string) => Math.round((wallClock(ms, timeZone) - ms) / MINUTE_MS) * MINUTE_MS;

/**
 * The instant a local wall-clock time happens, like Temporal's "compatible" disambiguation: a
 * time that happens twice (clocks go back) is its first instance; a time that does not exist
 * (clocks go forward) moves forward by the gap (02:30 in a 02:00→03:00 jump is 03:30).
 */
export function instantOfWallClock(wall: number, timeZone: string): number {
  // A day either side is outside any transition the wall clock is near.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const exact = [wall - before, wall - after].filter((ms) => wallClock(ms, timeZone) === wall);
  return exact.length > 0 ? Math.min(...exact) : wall - before;
}

const daysInMonth = (year: number, month0: number) => new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
const isoWeekday = (day: Date) => ((day.getUTCDay() + 6) % 7) + 1;

function fallsOn(rule: Recurrence, day: Date): boolean {
  switch (rule.every) {
    case 'day':
      return true;
    case 'week':
      return isoWeekday(day) === rule.weekday;
    case 'month':
      return day.getUTCDate() === Math.min(rule.monthDay ?? 1, daysInMonth(day.getUTCFullYear(), day.getUTCMonth()));
  }
}

/** The first occurrence at or after `fromMs`; every rule has one within 32 local days. */
export function firstOccurrenceFrom(rule: Recurrence, fromMs: number): number {
  const at = minuteOfDay(rule.at) * MINUTE_MS;
  const localFrom = wallClock(fromMs, rule.timeZone);
  // From the local day before: an occurrence there can still be ahead of fromMs across a date line shift.
  const firstDay = Math.floor(localFrom / DAY_MS) * DAY_MS - DAY_MS;
  for (let k = 0; k < 64; k++) {
    const day = firstDay + k * DAY_MS;
    if (!fallsOn(rule, new Date(day))) continue;
    const instant = instantOfWallClock(day + at, rule.timeZone);
    if (instant >= fromMs) return instant;
  }
  throw new Error(`no occurrence of ${JSON.stringify(rule)} within 64 days`); // unreachable for valid rules
}

/** The occurrence after `occurrenceMs` (strictly later). */
export const occurrenceAfter = (rule: Recurrence, occurrenceMs: number): number =>
  firstOccurrenceFrom(rule, occurrenceMs + 1);

/** The start of a local calendar date (YYYY-MM-DD) in the zone. */
export function startOfLocalDate(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return instantOfWallClock(Date.UTC(y, m - 1, d), timeZone);
}

/** The last millisecond of a local calendar date in the zone (an inclusive "until" date). */
export function endOfLocalDate(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return instantOfWallClock(Date.UTC(y, m - 1, d + 1), timeZone) - 1;
}
