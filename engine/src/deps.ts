import type pg from 'pg';
import type { Config } from './config.ts';
import type { LogFn } from './observability/logger.ts';
import type { EngineMetrics } from './observability/metrics.ts';
import type { TemporalConnection } from './temporal/connect.ts';

/** What the background jobs (events, imports, runs, the scheduler, the date scan) need, injected. */
export interface EngineDeps {
  readonly pool: pg.Pool;
  /** Without it runs are recorded but no workflow starts (and ops signals only change Postgres). */
  readonly temporal?: Pick<TemporalConnection, 'client'>;
  readonly config: Pick<Config, 'temporal'>;
  /** Every line passes through maskPhones first; info unless a level is given. */
  readonly log: LogFn;
  /** Counters for GET /metrics (the API server makes one). */
  readonly metrics?: EngineMetrics;
  /** The clock (tests pin it). */
  readonly now?: () => Date;
}
