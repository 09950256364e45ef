// The HTTP API's requests, responses, roles and permissions: pure zod, one definition. The engine
// validates with these schemas (and its OpenAPI document derives from them); the builder takes its
// types from them. Imported as '@huitou/schemas/http' (kept out of the index: names like Run and Ok
// are the API's, not the journey language's).
export * from './http/common.ts';
export * from './http/roles.ts';
export * from './http/journeys.ts';
export * from './http/runs.ts';
export * from './http/reports.ts';
export * from './http/simulate.ts';
export * from './http/test-send.ts';
export * from './http/customers.ts';
export * from './http/segments.ts';
export * from './http/saved-segments.ts';
export * from './http/templates.ts';
export * from './http/data-in.ts';
export * from './http/admin.ts';
export * from './http/schedules.ts';
export * from './http/imports.ts';
export * from './http/catalogue.ts';
export * from './http/tasks.ts';
export * from './http/journey-report.ts';
export * from './http/review.ts';
export * from './http/shop-overview.ts';
export * from './http/webhook-endpoints.ts';
export * from './http/coupons.ts';
export * from './http/settings.ts';
export * from './http/opt-outs.ts';
export * from './http/ops.ts';
