export { CUSTOM_FAILURE, bindCustomActivities, defineActivity } from './define-activity.ts';
export type { ActivitySpec, CustomActivity, CustomActivityContext } from './define-activity.ts';
export { actionResultOutput, cohortRefSchema, cycleStateSchema, nodeCallInput } from './schemas.ts';
export { awardPoints } from './examples/award-points.ts';

import { awardPoints } from './examples/award-points.ts';

/** The custom activities shipped with Huitou; the worker binds them next to the built-ins. */
export const customActivities = [awardPoints] as const;
