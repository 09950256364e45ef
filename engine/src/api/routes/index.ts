import type { Route } from '../route.ts';
import { adminRoutes } from './admin.ts';
import { catalogueRoutes } from './catalogue.ts';
import { eventRoutes } from './events.ts';
import { importRoutes } from './imports.ts';
import { journeyReportRoutes } from './journey-report.ts';
import { journeyRoutes } from './journeys.ts';
import { meRoutes } from './me.ts';
import { optOutRoutes } from './opt-outs.ts';
import { reviewRoutes } from './review.ts';
import { runMemberRoutes } from './run-members.ts';
import { runMessageRoutes } from './run-messages.ts';
import { runRoutes } from './runs.ts';
import { scheduleRoutes } from './schedules.ts';
import { segmentRoutes } from './segments.ts';
import { shopRoutes } from './shop.ts';
import { simulateRoutes } from './simulate.ts';
import { taskRoutes } from './tasks.ts';
import { templateRoutes } from './templates.ts';
import { testSendRoutes } from './test-send.ts';

/** Every authenticated operation of the API, in documentation order. */
export function apiRoutes(): Route[] {
  return [
    ...journeyRoutes,
    ...simulateRoutes,
    ...reviewRoutes,
    ...testSendRoutes,
    ...templateRoutes,
    ...runRoutes,
    ...runMemberRoutes,
    ...scheduleRoutes,
    ...runMessageRoutes,
    ...taskRoutes,
    ...segmentRoutes,
    ...journeyReportRoutes,
    ...shopRoutes,
    ...eventRoutes,
    ...importRoutes,
    ...optOutRoutes,
    ...catalogueRoutes,
    ...adminRoutes,
    ...meRoutes,
  ];
}
