// The test lanes: which Temporal server the suites run on (HUITOU_TEST_TEMPORAL). Kept free of
// heavy imports: vitest.config.ts reads it to pick each lane's files.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const laneKinds = ['embedded', 'temporal', 'java-test-server'] as const;
export type Lane = (typeof laneKinds)[number];

/** The lane this process runs in. */
export function lane(env: NodeJS.ProcessEnv = process.env): Lane {
  const value = env.HUITOU_TEST_TEMPORAL ?? 'embedded';
  if (!(laneKinds as readonly string[]).includes(value)) {
    throw new Error(`HUITOU_TEST_TEMPORAL must be one of ${laneKinds.join(', ')} (got "${value}")`);
  }
  return value as Lane;
}

/** How a test gets the lane's server (tests/support/temporal-lane.ts and the helpers over it). */
const laneEntryPoints = /\b(?:createLaneTestEnv|startHarness|startTestApiOnTemporal|startReferenceServer)\(/;

/**
 * The test files under `dir` that run on the lane's server. On Temporal's own servers only these
 * run again: the rest (database, HTTP, units) does not depend on the server.
 */
export function laneTestFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.test.ts') && laneEntryPoints.test(readFileSync(join(dir, file), 'utf8')))
    .map((file) => join(dir, file))
    .sort();
}
