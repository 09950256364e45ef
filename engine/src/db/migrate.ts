import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

/** engine/migrations, next to this package's src folder. */
export const defaultMigrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface MigrationFile {
  readonly version: number;
  readonly name: string; // file name, e.g. 001_shop.sql
  readonly sql: string;
  readonly checksum: string;
}

const FILE_PATTERN = /^(\d{3})_[a-z0-9_]+\.sql$/;
// Any fixed number: every process applying migrations to one database takes this lock first.
const MIGRATION_LOCK_KEY = 4_811_337;

/** Reads `NNN_name.sql` files in version order; rejects strays and duplicate numbers. */
export async function readMigrationFiles(dir: string = defaultMigrationsDir): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const match = FILE_PATTERN.exec(name);
    if (!match) throw new Error(`migration file name must look like 001_some_name.sql: ${name}`);
    const version = Number(match[1]);
    if (files.some((f) => f.version === version)) throw new Error(`two migrations share number ${match[1]}`);
    const sql = await readFile(`${dir.replace(/\/$/, '')}/${name}`, 'utf8');
    files.push({ version, name, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return files;
}

export interface MigrateOptions {
  readonly dir?: string;
  readonly log?: (message: string) => void;
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, each in its own transaction,
 * and returns the names applied. Re-running is a no-op. An applied file whose content changed is
 * an error: fix forward with a new file instead.
 */
export async function applyMigrations(pool: pg.Pool, options: MigrateOptions = {}): Promise<string[]> {
  const files = await readMigrationFiles(options.dir);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await applyPending(client, files, options.log);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

async function applyPending(
  client: pg.PoolClient,
  files: MigrationFile[],
  log?: (m: string) => void,
): Promise<string[]> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const { rows } = await client.query<{ version: number; name: string; checksum: string }>(
    'SELECT version, name, checksum FROM schema_migrations',
  );
  const applied = new Map(rows.map((r) => [r.version, r]));
  const done: string[] = [];
  for (const file of files) {
    const previous = applied.get(file.version);
    if (previous) {
      if (previous.checksum !== file.checksum) {
        throw new Error(
          `migration ${file.name} changed after it was applied (as ${previous.name}); add a new migration instead`,
        );
      }
      continue;
    }
    try {
      await client.query('BEGIN');
      await client.query(file.sql);
      await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        file.version,
        file.name,
        file.checksum,
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw new Error(`migration ${file.name} failed: ${(error as Error).message}`, { cause: error });
    }
    log?.(`applied migration ${file.name}`);
    done.push(file.name);
  }
  return done;
}
