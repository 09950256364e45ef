import { defineConfig } from 'vitest/config';
import { lane, laneTestFiles } from './tests/support/lanes.ts';

// One config, one project per kind of test (docs/architecture.md § Tests and lanes). On Temporal's own servers
// (HUITOU_TEST_TEMPORAL=temporal|java-test-server, the conformance lanes) the workflows and
// integration projects hold just the files that run on the lane's server.
const onReferenceServer = lane() !== 'embedded';
const laneInclude = (dir: string) => (onReferenceServer ? laneTestFiles(dir) : [`${dir}/**/*.test.ts`]);

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'schemas/src/**/*.test.ts'] } },
      {
        test: {
          name: 'devserver',
          include: ['engine/devserver/tests/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'workflows',
          include: laneInclude('tests/workflows'),
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'integration',
          include: laneInclude('tests/integration'),
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
