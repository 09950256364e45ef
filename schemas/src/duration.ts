import { z } from 'zod';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const unitMs = { minutes: MINUTE_MS, hours: HOUR_MS, days: DAY_MS, weeks: 7 * DAY_MS } as const;
export type DurationUnit = keyof typeof unitMs;

/** The longest single duration a marketer may enter anywhere (a wait, a timeout, an offset). */
export const MAX_DURATION_MS = 366 * DAY_MS;

/** A duration as the marketer entered it; lowered to milliseconds by the compiler. */
export const Duration = z
  .strictObject({
    amount: z.int().min(0).max(100_000),
    unit: z.enum(['minutes', 'hours', 'days', 'weeks']),
  })
  .refine((d) => durationMs(d) <= MAX_DURATION_MS, { message: 'at most 366 days' });
export type Duration = z.infer<typeof Duration>;

export function durationMs(d: { amount: number; unit: DurationUnit }): number {
  return d.amount * unitMs[d.unit];
}

export function days(amount: number): Duration {
  return { amount, unit: 'days' };
}
export function hours(amount: number): Duration {
  return { amount, unit: 'hours' };
}
export function minutes(amount: number): Duration {
  return { amount, unit: 'minutes' };
}
