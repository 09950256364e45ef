import { DEFAULT_TIME_ZONE, isValidTimeZone } from '@huitou/schemas';
import type { SqlParams } from './sql-params.ts';

/**
 * What a segment is evaluated against: the instant "now" (relative windows count back from it),
 * the time zone of calendar dates, and the journey instants some conditions refer to.
 */
export interface SegmentContext {
  readonly asOf: Date;
  readonly timeZone?: string;
  /** The member's entry into the journey (`since: entry` windows). */
  readonly entryAt?: Date;
  /** Start of the current repeat cycle (`since: cycle_start` windows). */
  readonly cycleStartAt?: Date;
  /** The order that triggered an event journey (`trigger_order` conditions). */
  readonly triggerOrderId?: number;
  /** Triggered cohorts: each member's own triggering order, read from this run's run_members. */
  readonly triggerOrderOfRun?: string;
}

/** The context plus SQL for its recurring values, each bound once. */
export class LoweringContext {
  readonly timeZone: string;
  private asOfSql?: string;
  private tzSql?: string;

  constructor(
    readonly ctx: SegmentContext,
    readonly params: SqlParams,
  ) {
    this.timeZone = ctx.timeZone ?? DEFAULT_TIME_ZONE;
    if (!isValidTimeZone(this.timeZone)) throw new Error(`unknown time zone: ${JSON.stringify(this.timeZone)}`);
    if (Number.isNaN(ctx.asOf.getTime())) throw new Error('asOf is not a valid date');
  }

  asOf(): string {
    this.asOfSql ??= this.params.add(this.ctx.asOf, 'timestamptz');
    return this.asOfSql;
  }

  tz(): string {
    this.tzSql ??= this.params.add(this.timeZone, 'text');
    return this.tzSql;
  }

  /** Today's local date in the context's time zone. */
  today(): string {
    return `(${this.asOf()} AT TIME ZONE ${this.tz()})::date`;
  }

  /** The instant a local calendar date (YYYY-MM-DD) starts, plus `days`. */
  dayStart(localDate: string, days = 0): string {
    const date = this.params.add(localDate, 'date');
    return `((${date} + ${days})::timestamp AT TIME ZONE ${this.tz()})`;
  }

  /** `days` whole days before asOf. */
  daysAgo(days: number): string {
    return `(${this.asOf()} - make_interval(days => ${this.params.add(days, 'int')}))`;
  }
}

/** Local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDateOf(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );
}
