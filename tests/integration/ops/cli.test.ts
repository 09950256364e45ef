// The operator's commands: every command package.json runs answers --help (exit 0, its usage) without
// starting anything, and `npm run migrate` migrates a fresh database once (a second run is a no-op).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../../engine/src/config.ts';
import { readMigrationFiles } from '../../../engine/src/db/migrate.ts';
import type { Database } from '../../../engine/src/db/connect.ts';
import { openTestDatabase } from '../db/test-database.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const scripts = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> })
  .scripts;

/**
 * The programs package.json scripts run (`node [flags] FILE`, e.g. the engine's Node flags and
 * `--import tsx`), benchmarks and the dependency check every script runs first aside.
 */
function commandFiles(): string[] {
  const files = new Set<string>();
  for (const command of Object.values(scripts)) {
    for (const m of command.matchAll(/node (?:--import \S+ |--[\w-]+(?:=\S+)? )*(\S+\.(?:ts|mjs))/g)) {
      if (!m[1].startsWith('tests/bench/') && !m[1].endsWith('ensure-deps.mjs')) files.add(m[1]);
    }
  }
  return [...files].sort();
}

const run = (file: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, [...(file.endsWith('.ts') ? ['--import', 'tsx'] : []), file, ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });

describe('command-line help', () => {
  it('finds the commands: the engine, the worker, migrate, seed and the test scripts', () => {
    expect(commandFiles()).toEqual([
      'engine/src/demo/seed-cli.ts',
      'engine/src/main.ts',
      'engine/src/migrate-cli.ts',
      'engine/src/worker.ts',
      'scripts/run-tests.mjs',
      'scripts/temporal-servers.mjs',
    ]);
    expect(scripts.migrate).toContain('engine/src/migrate-cli.ts');
  });

  it.each(commandFiles())('%s --help prints its usage and exits 0', (file) => {
    // A configuration that would fail: --help must answer before reading it.
    const result = run(file, ['--help'], { ...process.env, PORT: 'not-a-port' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^usage: (npm|node)/);
    expect(result.stdout).toContain('--help');
    if (file.startsWith('engine/src/')) {
      // The configuration list is config.ts's own.
      for (const variable of CONFIG_VARIABLES) expect(result.stdout).toContain(variable);
    }
  });
});

describe('npm run migrate', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase('configured', { migrate: false });
  });
  afterAll(async () => db?.close());

  it.skipIf(!process.env.DATABASE_URL)('migrates a fresh database, then finds nothing to do', async () => {
    const env = { ...process.env, DATABASE_URL: db.connectionString, HUITOU_LOG_FORMAT: 'json' };
    const first = run('engine/src/migrate-cli.ts', [], env);
    expect(first.status, first.stderr).toBe(0);
    const files = await readMigrationFiles();
    const lines = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: string; component: string; msg: string });
    expect(lines.at(-1)).toMatchObject({
      level: 'info',
      component: 'migrate',
      msg: `applied ${files.length}: ${files.map((f) => f.name).join(', ')}`,
    });
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(rows[0].n).toBe(files.length);

    const second = run('engine/src/migrate-cli.ts', [], env);
    expect(second.status, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout.trim().split('\n').at(-1) as string)).toMatchObject({ msg: 'up to date' });
  });

  it('reports a bad variable by name and exits 1', () => {
    const result = run('engine/src/migrate-cli.ts', [], { ...process.env, HUITOU_LOG_LEVEL: 'loud' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('HUITOU_LOG_LEVEL: expected debug, info, warn, error (got "loud")');
  });
});
