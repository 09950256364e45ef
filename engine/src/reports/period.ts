// A report's period as instants: a local day, a Monday-to-Sunday week, or [from, to) as given.
// Local dates are in the journey's time zone (Asia/Shanghai unless its settings say otherwise).
import { localDateOf } from '@huitou/activities/segments';
import { MAX_REPORT_DAYS } from '@huitou/schemas/http';
import type { ReportPeriod } from '@huitou/schemas/http';
import { startOfLocalDate } from '../scheduler/recurrence.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export interface PeriodBounds {
  from: Date;
  to: Date;
}

/** A local date (YYYY-MM-DD) plus `days`, as a date again (calendar arithmetic in UTC). */
function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const localDate = (value: string, timeZone: string) =>
  DATE.test(value) ? value : localDateOf(new Date(value), timeZone);
const instant = (value: string, timeZone: string) =>
  new Date(DATE.test(value) ? startOfLocalDate(value, timeZone) : Date.parse(value));

/** The period's bounds, or which field is wrong and why. Inputs are already shaped by JourneyReportQuery. */
export function periodBounds(
  q: { period: ReportPeriod; from?: string; to?: string },
  timeZone: string,
  now: Date,
): PeriodBounds | { field: 'to'; message: string } {
  if (q.period === 'custom') {
    const from = instant(q.from as string, timeZone);
    const to = instant(q.to as string, timeZone);
    if (to <= from) return { field: 'to', message: 'to must be after from' };
    if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * DAY_MS)
      return { field: 'to', message: `a custom period spans at most ${MAX_REPORT_DAYS} days` };
    return { from, to };
  }
  let day = q.from === undefined ? localDateOf(now, timeZone) : localDate(q.from, timeZone);
  let days = 1;
  if (q.period === 'week') {
    const [y, m, d] = day.split('-').map(Number);
    const isoWeekday = ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
    day = addDays(day, 1 - isoWeekday);
    days = 7;
  }
  return {
    from: new Date(startOfLocalDate(day, timeZone)),
    to: new Date(startOfLocalDate(addDays(day, days), timeZone)),
  };
}
