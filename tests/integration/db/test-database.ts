import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database, DatabaseConfig } from '../../../engine/src/db/connect.ts';
import { openDatabase } from '../../../engine/src/db/connect.ts';

export type TestEngine = 'configured' | 'pglite';

/** Which engine a test file runs on: the configured one (DATABASE_URL or PGlite), or PGlite always. */
export function describeEngine(engine: TestEngine): string {
  return engine === 'pglite' || !process.env.DATABASE_URL ? 'pglite' : 'postgres';
}

/**
 * A fresh, migrated database for one test file: a uniquely named database on the configured
 * Postgres (dropped on close), or an in-memory PGlite.
 */
export async function openTestDatabase(
  engine: TestEngine = 'configured',
  extra: Partial<DatabaseConfig> = {},
): Promise<Database> {
  const serverUrl = process.env.DATABASE_URL;
  if (engine === 'pglite' || !serverUrl) return openDatabase({ pgliteDataDir: 'memory://', ...extra });

  const name = `huitou_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: url.toString(), ...extra });
  } catch (error) {
    await dropDatabase(serverUrl, name);
    throw error;
  }
  return {
    ...database,
    close: async () => {
      await database.close();
      await dropDatabase(serverUrl, name);
    },
  };
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
