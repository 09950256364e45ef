import type { SmsProvider } from '@huitou/activities';
import type { EngineDeps } from '../deps.ts';
import type { EventIntake } from '../events/intake.ts';
import type { EventRouter } from '../events/router.ts';

/** Everything the API needs, injected, so tests build the app in process on their own database. */
export interface ApiDeps extends EngineDeps {
  /** Largest accepted JSON body (default 1mb). */
  readonly bodyLimit?: string;
  /** Largest accepted CSV import in bytes (default 200 MB). */
  readonly importLimitBytes?: number;
  /** A CSV upload that sends nothing for this long is given up with 408 (default 30 s). */
  readonly importIdleMs?: number;
  /** Imports apply while the file streams (ImportRequest.applyWhileStreaming): Postgres only. */
  readonly applyImportsWhileStreaming?: boolean;
  /**
   * Routes accepted events after the answer (the server makes one); without it POST /api/events
   * routes before answering.
   */
  readonly eventRouter?: EventRouter;
  /** Stores accepted events, concurrent requests in one statement (createApp makes one). */
  readonly eventIntake?: EventIntake;
  /** GET /metrics wants this bearer token (HUITOU_METRICS_TOKEN); unset: open like /api/health. */
  readonly metricsToken?: string;
  /** Where test sends go (the worker's provider); default: the local sink. */
  readonly smsProvider?: SmsProvider;
}
