import type pg from 'pg';
import type { Config } from '../config.ts';
import type { TemporalConnection } from '../temporal/connect.ts';
import type { EventIntake } from './events/intake.ts';
import type { EventRouter } from './events/router.ts';

/** Everything the API needs, injected, so tests build the app in process on their own database. */
export interface ApiDeps {
  readonly pool: pg.Pool;
  /** Without it runs are recorded but no workflow starts (and ops signals only change Postgres). */
  readonly temporal?: Pick<TemporalConnection, 'client'>;
  readonly config: Pick<Config, 'temporal'>;
  /** Every line passes through maskPhones first. */
  readonly log: (message: string) => void;
  /** Largest accepted JSON body (default 1mb). */
  readonly bodyLimit?: string;
  /** Largest accepted CSV import in bytes (default 200 MB). */
  readonly importLimitBytes?: number;
  /** Routes accepted events after the answer (the server makes one); without it POST /api/events routes before answering. */
  readonly eventRouter?: EventRouter;
  /** Stores accepted events, concurrent requests in one statement (createApp makes one). */
  readonly eventIntake?: EventIntake;
  /** The clock (tests pin it). */
  readonly now?: () => Date;
}
