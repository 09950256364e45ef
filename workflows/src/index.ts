// The workflow bundle's entry: the interpreter workflows (one generic interpreter, no code per
// journey) and the client-facing signals, queries and ids.
export { audienceRun } from './audience.ts';
export { shardRun } from './shard.ts';
export { triggeredRun } from './triggered.ts';
export { triggeredCohort } from './cohort.ts';
export * from './api.ts';
