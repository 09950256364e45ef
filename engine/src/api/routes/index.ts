import type { Route } from '../route.ts';
import { adminRoutes } from './admin.ts';
import { eventRoutes } from './events.ts';
import { journeyRoutes } from './journeys.ts';
import { runRoutes } from './runs.ts';
import { segmentRoutes } from './segments.ts';
import { templateRoutes } from './templates.ts';

/** Every authenticated operation of the API, in documentation order. */
export function apiRoutes(): Route[] {
  return [...journeyRoutes, ...templateRoutes, ...runRoutes, ...segmentRoutes, ...eventRoutes, ...adminRoutes];
}
