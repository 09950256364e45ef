import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS, maxWindowWaitMs, nextAllowedInstant } from '@huitou/schemas';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe('time windows', () => {
  it('computes the longest wait for the next allowed minute', () => {
    expect(maxWindowWaitMs([{ from: '09:00', to: '02:00' }], [1, 2, 3, 4, 5, 6, 7])).toBe(7 * HOUR_MS);
    expect(
      maxWindowWaitMs(
        [
          { from: '09:00', to: '12:00' },
          { from: '20:00', to: '00:00' },
        ],
        [1, 2, 3, 4, 5, 6, 7],
      ),
    ).toBe(9 * HOUR_MS);
    // Weekdays only, 09:00-18:00: Friday 18:00 to Monday 09:00.
    expect(maxWindowWaitMs([{ from: '09:00', to: '18:00' }], [1, 2, 3, 4, 5])).toBe(63 * HOUR_MS);
  });

  it('finds the next allowed instant in the shop time zone', () => {
    const windows = [{ from: '09:00', to: '02:00' }];
    const all = [1, 2, 3, 4, 5, 6, 7];
    // 2024-11-12 is a Tuesday.
    expect(nextAllowedInstant(shanghai('2024-11-12T03:30:15'), windows, all, 'Asia/Shanghai')).toBe(
      shanghai('2024-11-12T09:00:00'),
    );
    expect(nextAllowedInstant(shanghai('2024-11-12T01:59:00'), windows, all, 'Asia/Shanghai')).toBe(
      shanghai('2024-11-12T01:59:00'),
    );
    expect(nextAllowedInstant(shanghai('2024-11-12T02:00:00'), windows, all, 'Asia/Shanghai')).toBe(
      shanghai('2024-11-12T09:00:00'),
    );
    // Saturday evening, weekdays only: Monday 09:00.
    expect(
      nextAllowedInstant(
        shanghai('2024-11-16T20:00:00'),
        [{ from: '09:00', to: '18:00' }],
        [1, 2, 3, 4, 5],
        'Asia/Shanghai',
      ),
    ).toBe(shanghai('2024-11-18T09:00:00'));
    // Same wall clock, another zone: 03:30 in Berlin (UTC+1 in November) -> 09:00 Berlin.
    expect(nextAllowedInstant(Date.parse('2024-11-12T03:30:00+01:00'), windows, all, 'Europe/Berlin')).toBe(
      Date.parse('2024-11-12T09:00:00+01:00'),
    );
    expect(nextAllowedInstant(0, windows, all, 'UTC') % MINUTE_MS).toBe(0);
  });
});
