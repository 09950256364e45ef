// The journey activities as the workflows see them. Retries back off to a minute and never give
// up: every activity is idempotent (ledger keys, fresh target cohorts), so retrying is always safe.
// The types come from the object the worker registers (createJourneyActivities), so no list of
// names is written here.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ActionActivities, BookkeepingActivities, JourneyActivities } from '@huitou/activities';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;

export const acts = proxyActivities<JourneyActivities>({ startToCloseTimeout: '10 minutes', retry });

/** A run's bookkeeping in Postgres: admitting, mirroring positions and exits, recording the end. */
export type Bookkeeping = BookkeepingActivities;

/**
 * The same bookkeeping as local activities, for triggered runs (sets of one, one workflow per
 * event): quick, idempotent and Postgres-only, they run inside the workflow task, so a one-step
 * triggered journey takes two workflow tasks and one activity task instead of five and four.
 */
export const localBookkeeping = proxyLocalActivities<Bookkeeping>({
  startToCloseTimeout: '1 minute',
  localRetryThreshold: '1 minute',
  retry,
});

/**
 * The side effects heartbeat once per batch of members (and around each provider call), so a
 * worker that dies mid-send is noticed within the heartbeat timeout, not the 10-minute
 * start-to-close one, and the batch resumes on another worker from the ledger.
 */
export const effects = proxyActivities<ActionActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry,
});
