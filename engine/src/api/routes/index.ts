import type { Route } from '../route.ts';
import { adminRoutes } from './admin.ts';
import { catalogueRoutes } from './catalogue.ts';
import { couponRoutes } from './coupons.ts';
import { customerRoutes } from './customers.ts';
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
import { settingsRoutes } from './settings.ts';
import { shopRoutes } from './shop.ts';
import { simulateRoutes } from './simulate.ts';
import { taskRoutes } from './tasks.ts';
import { templateRoutes } from './templates.ts';
import { testSendRoutes } from './test-send.ts';
import { vendorReceiptRoutes } from './vendor-receipts.ts';
import { webhookEndpointRoutes } from './webhook-endpoints.ts';

/** Every authenticated operation of the API, in documentation order. */
export function apiRoutes(): Route[] {
  return [
    ...journeyRoutes,
    ...simulateRoutes,
    ...reviewRoutes,
    ...testSendRoutes,
    ...templateRoutes,
    ...couponRoutes,
    ...runRoutes,
    ...runMemberRoutes,
    ...scheduleRoutes,
    ...runMessageRoutes,
    ...taskRoutes,
    ...segmentRoutes,
    ...customerRoutes,
    ...journeyReportRoutes,
    ...shopRoutes,
    ...eventRoutes,
    ...vendorReceiptRoutes,
    ...importRoutes,
    ...optOutRoutes,
    ...catalogueRoutes,
    ...adminRoutes,
    ...webhookEndpointRoutes,
    ...settingsRoutes,
    ...meRoutes,
  ];
}
