// Lint rules. The workflow sandbox rules (ARCHITECTURE.md) are enforced here and again by building
// the workflow bundle in tests: workflow code may import only @temporalio/workflow, @huitou/schemas,
// its own files, and types from anything.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https', 'dns', 'stream', 'util', 'events', 'worker_threads', 'timers', 'process'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.data/**', 'coverage/**', 'tests/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['builder-ui/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['workflows/src/**/*.ts', 'tests/**/workflows/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'Workflow code runs in the Temporal sandbox: no Node builtins.', allowTypeImports: true },
          { group: ['pg', 'pg-*', 'express', '@electric-sql/*', '@temporalio/activity', '@temporalio/worker', '@temporalio/client', '@huitou/activities', '@huitou/engine', '@huitou/activities/*', '@huitou/engine/*'], message: 'Workflow code may import only @temporalio/workflow, @huitou/schemas and type-only imports.', allowTypeImports: true },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a loop from @temporalio/workflow.' },
        { name: 'process', message: 'No process in the workflow sandbox.' },
      ],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'Use a deterministic hash (run id + customer id).' },
      ],
    },
  },
);
