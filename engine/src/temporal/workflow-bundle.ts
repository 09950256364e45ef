// The interpreter workflows bundled once per content of their sources: webpack takes seconds of
// CPU, and tests, `npm start` and every simulation need the same bundle. Cached on disk under
// node_modules/.cache, keyed by a hash of the workflows and schemas sources, the SDK version and this file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { BundleOptions } from '@temporalio/worker';

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const interpreterWorkflowsPath = join(root, 'workflows/src/index.ts');
/** Everything the bundle is built from (the workflow code imports types from the activities' contract). */
const SOURCES = ['workflows/src', 'schemas/src', 'activities/src/contract.ts'];
const cacheDir = join(root, 'node_modules/.cache/huitou-interpreter-bundles');
/**
 * The SDK evaluates a bundle's modules afresh for every new workflow, unless preloaded: then once
 * per worker thread, shared (and deep-frozen). The journey language (zod schemas and the node
 * registry) is pure and was most of a triggered run's CPU, evaluated again for each order event.
 */
const bundleOptions: Pick<BundleOptions, 'preloadModules' | 'webpackConfigHook'> = {
  preloadModules: ['@huitou/schemas'],
  // schemas is `sideEffects: false` (the builder's bundle drops what it does not use), and webpack
  // then drops the preload's bare `require('@huitou/schemas')` as unused: the preload did nothing
  // and every new workflow built the zod schemas again. Here its modules count as having effects.
  webpackConfigHook: (config) => ({
    ...config,
    module: {
      ...config.module,
      rules: [...(config.module?.rules ?? []), { include: join(root, 'schemas/src'), sideEffects: true }],
    },
  }),
};

function hashTree(hash: ReturnType<typeof createHash>, path: string): void {
  if (!statSync(path).isDirectory()) {
    hash.update(path).update(readFileSync(path));
    return;
  }
  for (const name of readdirSync(path).sort()) hashTree(hash, join(path, name));
}

const quiet = (log?: (m: string) => void) => ({
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn: (m: string) => log?.(m),
  error: (m: string) => log?.(m),
});

/** The bundle's file, built now only if the sources changed since it was last built. */
export async function cachedInterpreterBundle(log?: (m: string) => void): Promise<{ codePath: string }> {
  const hash = createHash('sha256');
  hash.update(readFileSync(fileURLToPath(import.meta.resolve('@temporalio/workflow/package.json'))));
  // How the bundle is built (this file: the options, the webpack hook) is part of what it is.
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  for (const source of SOURCES) hashTree(hash, join(root, source));
  const path = join(cacheDir, `${hash.digest('hex').slice(0, 16)}.js`);
  if (!existsSync(path)) {
    const { code } = await bundleWorkflowCode({
      workflowsPath: interpreterWorkflowsPath,
      ...bundleOptions,
      logger: quiet(log),
    });
    mkdirSync(cacheDir, { recursive: true });
    // Written aside and renamed: a concurrent reader never sees half a bundle.
    writeFileSync(`${path}.${process.pid}.tmp`, code);
    renameSync(`${path}.${process.pid}.tmp`, path);
  }
  return { codePath: path };
}
