// Occurrence arithmetic of recurring schedules: local times in a zone, DST gaps and overlaps,
// weekly and monthly rules with month-end days clamped.
import { describe, expect, it } from 'vitest';
import {
  endOfLocalDate,
  firstOccurrenceFrom,
  instantOfWallClock,
  occurrenceAfter,
  startOfLocalDate,
} from '../../../engine/src/scheduler/recurrence.ts';
import type { Recurrence } from '../../../engine/src/scheduler/recurrence.ts';

const ms = (isoInstant: string) => new Date(isoInstant).getTime();
const isoOf = (instant: number) => new Date(instant).toISOString();

/** The first `n` occurrences at or after `from`. */
function occurrences(rule: Recurrence, from: string, n: number): string[] {
  const out: string[] = [];
  let next = firstOccurrenceFrom(rule, ms(from));
  for (let i = 0; i < n; i++) {
    out.push(isoOf(next));
    next = occurrenceAfter(rule, next);
  }
  return out;
}

describe('recurring schedule occurrences', () => {
  const daily: Recurrence = { every: 'day', at: '09:30', timeZone: 'Asia/Shanghai' };

  it('every day at 09:30 Asia/Shanghai is 01:30 UTC, starting today when the time is still ahead', () => {
    expect(occurrences(daily, '2026-05-01T00:00:00Z', 3)).toEqual([
      '2026-05-01T01:30:00.000Z',
      '2026-05-02T01:30:00.000Z',
      '2026-05-03T01:30:00.000Z',
    ]);
    // 09:30 local already passed (it is 10:00 there): tomorrow.
    expect(isoOf(firstOccurrenceFrom(daily, ms('2026-05-01T02:00:00Z')))).toBe('2026-05-02T01:30:00.000Z');
    // Exactly at an occurrence: that one; just after: the next.
    expect(isoOf(firstOccurrenceFrom(daily, ms('2026-05-01T01:30:00Z')))).toBe('2026-05-01T01:30:00.000Z');
    expect(isoOf(occurrenceAfter(daily, ms('2026-05-01T01:30:00Z')))).toBe('2026-05-02T01:30:00.000Z');
  });

  it('the local date decides, not the UTC one: 07:00 Shanghai is the previous UTC day', () => {
    const early: Recurrence = { every: 'day', at: '07:00', timeZone: 'Asia/Shanghai' };
    // 2026-05-01T22:00Z is already 06:00 on May 2nd in Shanghai.
    expect(isoOf(firstOccurrenceFrom(early, ms('2026-05-01T22:00:00Z')))).toBe('2026-05-01T23:00:00.000Z');
  });

  it('every Monday at 10:00', () => {
    const monday: Recurrence = { every: 'week', at: '10:00', weekday: 1, timeZone: 'Asia/Shanghai' };
    // 2026-05-06 is a Wednesday.
    expect(occurrences(monday, '2026-05-06T00:00:00Z', 2)).toEqual([
      '2026-05-11T02:00:00.000Z',
      '2026-05-18T02:00:00.000Z',
    ]);
    const sunday: Recurrence = { ...monday, weekday: 7 };
    expect(occurrences(sunday, '2026-05-06T00:00:00Z', 1)).toEqual(['2026-05-10T02:00:00.000Z']);
  });

  it('monthly on the 31st clamps to each month end; on the 29th February falls on the 28th (or 29th in leap years)', () => {
    const monthEnd: Recurrence = { every: 'month', at: '10:00', monthDay: 31, timeZone: 'UTC' };
    expect(occurrences(monthEnd, '2026-01-15T00:00:00Z', 5)).toEqual([
      '2026-01-31T10:00:00.000Z',
      '2026-02-28T10:00:00.000Z',
      '2026-03-31T10:00:00.000Z',
      '2026-04-30T10:00:00.000Z',
      '2026-05-31T10:00:00.000Z',
    ]);
    const the29th: Recurrence = { every: 'month', at: '10:00', monthDay: 29, timeZone: 'UTC' };
    expect(occurrences(the29th, '2026-02-01T00:00:00Z', 2)).toEqual([
      '2026-02-28T10:00:00.000Z',
      '2026-03-29T10:00:00.000Z',
    ]);
    expect(occurrences(the29th, '2028-02-01T00:00:00Z', 1)).toEqual(['2028-02-29T10:00:00.000Z']);
  });

  it('DST, clocks forward: a local time in the gap moves forward by the gap, the next day is on the new offset', () => {
    // America/New_York jumps from 02:00 EST to 03:00 EDT on 2026-03-08.
    const rule: Recurrence = { every: 'day', at: '02:30', timeZone: 'America/New_York' };
    expect(occurrences(rule, '2026-03-07T00:00:00Z', 3)).toEqual([
      '2026-03-07T07:30:00.000Z', // 02:30 EST
      '2026-03-08T07:30:00.000Z', // 02:30 does not exist: 03:30 EDT
      '2026-03-09T06:30:00.000Z', // 02:30 EDT
    ]);
    const nine: Recurrence = { every: 'day', at: '09:00', timeZone: 'America/New_York' };
    expect(occurrences(nine, '2026-03-07T00:00:00Z', 3)).toEqual([
      '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
    ]);
  });

  it('DST, clocks back: a local time that happens twice happens once, at its first instance', () => {
    // America/New_York goes from 02:00 EDT back to 01:00 EST on 2026-11-01.
    const rule: Recurrence = { every: 'day', at: '01:30', timeZone: 'America/New_York' };
    expect(occurrences(rule, '2026-10-31T00:00:00Z', 3)).toEqual([
      '2026-10-31T05:30:00.000Z', // 01:30 EDT
      '2026-11-01T05:30:00.000Z', // the first 01:30 (EDT), not also the second (EST)
      '2026-11-02T06:30:00.000Z', // 01:30 EST
    ]);
    expect(instantOfWallClock(Date.UTC(2026, 10, 1, 1, 30), 'America/New_York')).toBe(ms('2026-11-01T05:30:00Z'));
  });

  it('Europe/London: weekly through the spring change keeps the local time', () => {
    // Clocks go forward on Sunday 2026-03-29 at 01:00 GMT.
    const rule: Recurrence = { every: 'week', at: '10:00', weekday: 7, timeZone: 'Europe/London' };
    expect(occurrences(rule, '2026-03-20T00:00:00Z', 2)).toEqual([
      '2026-03-22T10:00:00.000Z',
      '2026-03-29T09:00:00.000Z',
    ]);
  });

  it('calendar dates as bounds: start of the local day and its last millisecond', () => {
    expect(isoOf(startOfLocalDate('2026-05-01', 'Asia/Shanghai'))).toBe('2026-04-30T16:00:00.000Z');
    expect(isoOf(endOfLocalDate('2026-05-01', 'Asia/Shanghai'))).toBe('2026-05-01T15:59:59.999Z');
    expect(isoOf(endOfLocalDate('2026-12-31', 'UTC'))).toBe('2026-12-31T23:59:59.999Z');
  });
});
