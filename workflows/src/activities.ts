// The journey activities as the workflows see them. Retries back off to a minute and never give
// up: every activity is idempotent (ledger keys, fresh target cohorts), so retrying is always safe.
import { proxyActivities } from '@temporalio/workflow';
import type { JourneyActivities } from '@huitou/activities/contract';

export const acts = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
