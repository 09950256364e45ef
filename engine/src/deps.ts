import type pg from 'pg';
import type { Config } from './config.ts';
import type { TemporalConnection } from './temporal/connect.ts';

/** What the background jobs (events, imports, runs, the scheduler, the date scan) need, injected. */
export interface EngineDeps {
  readonly pool: pg.Pool;
  /** Without it runs are recorded but no workflow starts (and ops signals only change Postgres). */
  readonly temporal?: Pick<TemporalConnection, 'client'>;
  readonly config: Pick<Config, 'temporal'>;
  /** Every line passes through maskPhones first. */
  readonly log: (message: string) => void;
  /** The clock (tests pin it). */
  readonly now?: () => Date;
}
