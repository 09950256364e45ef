export { CUSTOM_FAILURE, bindCustomActivities, defineActivity } from './define-activity.ts';
export type { ActivitySpec, CustomActivity, CustomActivityContext } from './define-activity.ts';
export { actionResultOutput, cohortRefSchema, cycleStateSchema, nodeCallInput } from './schemas.ts';
export { awardPoints } from './examples/award-points.ts';

import { customActions } from '../journey-activities.ts';

/** The custom activities shipped with Huitou (registered in journey-activities.ts). */
export const customActivities = Object.values(customActions);
