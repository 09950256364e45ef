// The workflow sandbox rules (docs/architecture.md § Workflow sandbox rules): the bundle of
// `workflows/` must build (a bad
// import fails here), and lint must reject Node builtins and side-effect packages in workflow code.
import { describe, expect, it } from 'vitest';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cachedInterpreterBundle } from '@huitou/engine/temporal/workflow-bundle';

const silent = { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} };

describe('workflow sandbox', () => {
  it('bundles the workflows package', async () => {
    const bundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('../../workflows/src/index.ts', import.meta.url)),
      logger: silent,
    });
    expect(bundle.code.length).toBeGreaterThan(1000);
  });

  it('the interpreter bundle preloads the journey language, so a new workflow does not build it again', async () => {
    const code = readFileSync((await cachedInterpreterBundle()).codePath, 'utf8');
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code)?.[1] ?? '';
    // webpack leaves `0;` here when it decides the require has no effect (schemas is sideEffects: false).
    expect(preload).toContain('__webpack_require__(');
    expect(preload).toContain('"./schemas/src/index.ts"');
  });

  it('lint rejects Node builtins, pg and activity values in workflow code, but allows type imports', async () => {
    const eslint = new ESLint();
    const lint = async (code: string) =>
      (await eslint.lintText(code, { filePath: 'workflows/src/probe.ts' }))[0].messages.map((m) => m.ruleId);
    expect(await lint(`import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n`)).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
    expect(await lint(`import pg from 'pg';\nexport const x = pg;\n`)).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
    expect(await lint(`export const r = Math.random();\n`)).toContain('no-restricted-properties');
    expect(await lint(`import type { Pool } from 'pg';\nexport type P = Pool;\n`)).toEqual([]);
    expect(await lint(`import { sleep } from '@temporalio/workflow';\nexport const s = sleep;\n`)).toEqual([]);
  });
});
