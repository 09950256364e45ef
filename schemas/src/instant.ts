// Bounded times. An instant in year 0000 or 9999 is a typo or an attack, never a plan: the
// database, Temporal timers and the scheduler all misbehave at the extremes, so every instant the
// API accepts lies within [INSTANT_MIN, INSTANT_MAX) and every local date within [DATE_MIN, DATE_MAX].
import { z } from 'zod';

export const INSTANT_MIN = '2000-01-01T00:00:00Z';
export const INSTANT_MAX = '2100-01-01T00:00:00Z';
/** Local calendar dates (birthdays, segment date rules) reach further back than instants. */
export const DATE_MIN = '1900-01-01';
export const DATE_MAX = '2099-12-31';

const minMs = Date.parse(INSTANT_MIN);
const maxMs = Date.parse(INSTANT_MAX);

/** An ISO 8601 instant with an offset, from 2000-01-01 (inclusive) to 2100-01-01 (exclusive) UTC. */
export const Instant = z.iso.datetime({ offset: true }).refine((s) => {
  const ms = Date.parse(s);
  return ms >= minMs && ms < maxMs;
}, `must be between ${INSTANT_MIN} and ${INSTANT_MAX}`);

/** A YYYY-MM-DD calendar date from 1900-01-01 to 2099-12-31. */
export const BoundedDate = z.iso
  .date()
  .refine((s) => s >= DATE_MIN && s <= DATE_MAX, `must be between ${DATE_MIN} and ${DATE_MAX}`);
