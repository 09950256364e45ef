// Report periods: local days and Monday-to-Sunday weeks in the journey's time zone, custom ranges.
import { describe, expect, it } from 'vitest';
import { periodBounds } from '../../../engine/src/reports/period.ts';

const iso = (b: ReturnType<typeof periodBounds>) =>
  'field' in b ? b : { from: b.from.toISOString(), to: b.to.toISOString() };

describe('report periods', () => {
  const now = new Date('2026-11-11T17:30:00Z'); // 01:30 on 11-12 in Shanghai

  it('a day is local midnight to midnight; today by default', () => {
    expect(iso(periodBounds({ period: 'day' }, 'Asia/Shanghai', now))).toEqual({
      from: '2026-11-11T16:00:00.000Z',
      to: '2026-11-12T16:00:00.000Z',
    });
    expect(iso(periodBounds({ period: 'day', from: '2026-11-11' }, 'Asia/Shanghai', now))).toEqual({
      from: '2026-11-10T16:00:00.000Z',
      to: '2026-11-11T16:00:00.000Z',
    });
    // An instant names the local day it falls in.
    expect(iso(periodBounds({ period: 'day', from: '2026-11-10T16:00:00Z' }, 'Asia/Shanghai', now))).toEqual({
      from: '2026-11-10T16:00:00.000Z',
      to: '2026-11-11T16:00:00.000Z',
    });
  });

  it('a week runs Monday to Sunday; the time zone setting moves the boundaries', () => {
    // 2026-11-11 is a Wednesday.
    expect(iso(periodBounds({ period: 'week', from: '2026-11-11' }, 'Asia/Shanghai', now))).toEqual({
      from: '2026-11-08T16:00:00.000Z',
      to: '2026-11-15T16:00:00.000Z',
    });
    expect(iso(periodBounds({ period: 'week', from: '2026-11-15' }, 'Asia/Shanghai', now))).toEqual({
      from: '2026-11-08T16:00:00.000Z',
      to: '2026-11-15T16:00:00.000Z',
    });
    expect(iso(periodBounds({ period: 'week', from: '2026-11-16' }, 'UTC', now))).toEqual({
      from: '2026-11-16T00:00:00.000Z',
      to: '2026-11-23T00:00:00.000Z',
    });
    // Across a daylight saving change: the local week is 7 days and an hour.
    expect(iso(periodBounds({ period: 'week', from: '2026-10-20' }, 'Europe/Berlin', now))).toEqual({
      from: '2026-10-18T22:00:00.000Z',
      to: '2026-10-25T23:00:00.000Z',
    });
  });

  it('custom: [from, to) from dates or instants; to after from and at most 366 days', () => {
    expect(
      iso(
        periodBounds({ period: 'custom', from: '2026-11-11', to: '2026-11-12T12:00:00+08:00' }, 'Asia/Shanghai', now),
      ),
    ).toEqual({
      from: '2026-11-10T16:00:00.000Z',
      to: '2026-11-12T04:00:00.000Z',
    });
    expect(periodBounds({ period: 'custom', from: '2026-11-11', to: '2026-11-11' }, 'Asia/Shanghai', now)).toEqual({
      field: 'to',
      message: 'to must be after from',
    });
    expect(
      periodBounds({ period: 'custom', from: '2025-01-01', to: '2026-01-03' }, 'Asia/Shanghai', now),
    ).toMatchObject({
      field: 'to',
    });
    expect(
      'field' in periodBounds({ period: 'custom', from: '2025-01-01', to: '2026-01-01' }, 'Asia/Shanghai', now),
    ).toBe(false);
  });
});
