// Lint rules. The workflow sandbox rules (docs/architecture.md § Workflow sandbox rules) are
// enforced here and again by building the workflow bundle in tests: workflow code may import only
// @temporalio/workflow, @huitou/schemas, its own files, and types from anything.
//
// The layers, bottom to top: schemas -> activities -> workflows (types only of activities) -> engine;
// builder-ui on schemas alone; the embedded Temporal server (engine/devserver) on no Huitou package.
// A package imports only the packages below it, by name; a relative import never leaves its package
// (huitou/no-escape). tests/unit/layers.test.ts proves that an upward import fails the lint.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import prettierConfig from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const root = dirname(fileURLToPath(import.meta.url));
/** The workspace folders, deepest first, so engine/devserver is not taken for engine. */
const workspaces = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'))
  .workspaces.slice()
  .sort((a, b) => b.length - a.length);
const packageOf = (file) => {
  const rel = relative(root, file).split(sep).join('/');
  return workspaces.find((ws) => rel === ws || rel.startsWith(`${ws}/`));
};

/** A relative import stays inside the package of the file that makes it. */
const noEscape = {
  meta: {
    type: 'problem',
    schema: [],
    messages: { escape: "'{{source}}' leaves the package {{pkg}}: import another package by its name (@huitou/...)." },
  },
  create(context) {
    const pkg = packageOf(context.filename);
    if (!pkg) return {};
    const check = (node) => {
      const source = node.source;
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string' || !source.value.startsWith('.'))
        return;
      if (packageOf(resolve(dirname(context.filename), source.value)) !== pkg)
        context.report({ node: source, messageId: 'escape', data: { source: source.value, pkg } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

/** `@huitou/<name>` and its subpaths, for the names given. */
const huitou = (...names) => `^@huitou/(${names.join('|')})(/|$)`;
/** Every `@huitou/` package but the names given. */
const huitouExcept = (...names) => (names.length ? `^@huitou/(?!(${names.join('|')})(/|$))` : '^@huitou/');
const upward = (regex, message, allowTypeImports = false) => ({
  regex,
  message: `Layers (eslint.config.js): ${message}`,
  allowTypeImports,
});
const layer = (files, ...patterns) => ({
  files,
  ignores: ['**/node_modules/**'],
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'crypto',
  'child_process',
  'net',
  'http',
  'https',
  'dns',
  'stream',
  'util',
  'events',
  'worker_threads',
  'timers',
  'process',
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.data/**', 'coverage/**', 'tests/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    plugins: { huitou: { rules: { 'no-escape': noEscape } } },
    rules: { 'huitou/no-escape': 'error' },
  },
  layer(['schemas/**'], upward(huitouExcept(), 'schemas is the bottom layer: it imports no @huitou package.')),
  layer(['activities/**'], upward(huitouExcept('schemas'), 'activities may import only @huitou/schemas.')),
  layer(
    ['engine/**'],
    upward(huitou('builder-ui'), "the engine serves the builder UI's files but imports none of its code."),
  ),
  layer(
    ['engine/devserver/src/**'],
    upward(huitouExcept(), 'the embedded Temporal server imports no @huitou package.'),
  ),
  // Its tests drive it through the engine's test environment (engine/src/temporal/test-env.ts).
  layer(
    ['engine/devserver/tests/**'],
    upward(huitouExcept('engine'), "the embedded Temporal server's tests use only the engine's test environment."),
  ),
  layer(
    ['builder-ui/**'],
    upward(huitouExcept('schemas'), 'builder-ui may import only @huitou/schemas (the engine only over HTTP).'),
  ),
  {
    files: ['builder-ui/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['workflows/src/**/*.ts', 'tests/**/workflows/**/*.ts', 'engine/devserver/tests/workflows/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: nodeBuiltins,
              message: 'Workflow code runs in the Temporal sandbox: no Node builtins.',
              allowTypeImports: true,
            },
            {
              group: [
                'pg',
                'pg-*',
                'express',
                '@electric-sql/*',
                '@temporalio/activity',
                '@temporalio/worker',
                '@temporalio/client',
                '@huitou/activities',
                '@huitou/activities/*',
              ],
              message: 'Workflow code may import only @temporalio/workflow, @huitou/schemas and type-only imports.',
              allowTypeImports: true,
            },
            upward(
              huitouExcept('schemas', 'activities'),
              'workflows may import only @huitou/schemas and types of @huitou/activities.',
            ),
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a loop from @temporalio/workflow.' },
        { name: 'process', message: 'No process in the workflow sandbox.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use a deterministic hash (run id + customer id).' },
      ],
    },
  },
  // Layout is prettier's (`npm run format`, checked by `npm run lint`): its rules win over any
  // stylistic one above. Comments and strings, which it does not break, keep its 120 columns too.
  prettierConfig,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    rules: {
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
);
