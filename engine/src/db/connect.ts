import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import type { Config } from '../config.ts';
import { applyMigrations } from './migrate.ts';
import { ExclusiveQueryQueue } from './pglite-queue.ts';
import { ownerOnlyFolder, privateSocket } from './private-socket.ts';

export interface DatabaseConfig {
  /** A real Postgres. When absent, an embedded PGlite is started. */
  readonly databaseUrl?: string;
  /** PGlite data folder (default .data/pglite); `memory://` keeps everything in memory (tests). */
  readonly pgliteDataDir?: string;
  /** Connections in the pg pool. */
  readonly poolSize?: number;
  /** Apply pending migrations on open (default true). */
  readonly migrate?: boolean;
  readonly log?: (message: string) => void;
}

export interface Database {
  readonly pool: pg.Pool;
  readonly kind: 'postgres' | 'pglite';
  /** A URL other processes (or psql) can use while this database is open. */
  readonly connectionString: string;
  close(): Promise<void>;
}

/** The embedded database lives in this folder under the product's data folder (HUITOU_DATA_DIR). */
export const EMBEDDED_PGLITE_DIR = 'pglite';
const DEFAULT_POOL_SIZE = 10;

/** From the product configuration (engine/src/config.ts): DATABASE_URL, else PGlite in <dataDir>/pglite. */
export function databaseConfigFrom(config: Pick<Config, 'dataDir' | 'databaseUrl'>): DatabaseConfig {
  return { databaseUrl: config.databaseUrl, pgliteDataDir: join(config.dataDir, EMBEDDED_PGLITE_DIR) };
}

/**
 * Opens the database the config points at and returns a pg pool for it. Without a URL, PGlite is
 * started and served on a unix socket only this OS user can open (private-socket.ts), so every
 * caller uses the same pg code and no other local user reaches the data.
 */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const database = config.databaseUrl ? openPostgres(config.databaseUrl, config) : await openPglite(config);
  if (config.migrate ?? true) {
    try {
      await applyMigrations(database.pool, { log: config.log });
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

function openPostgres(url: string, config: DatabaseConfig): Database {
  // JIT off: every query here is bounded by a cohort or a page, where compiling costs more than it
  // saves (575 of 628 ms of a 1,250-member checkpoint's figures at 1M members); the run-sized
  // plans the planner might over-estimate are exactly the ones JIT would make slow.
  const pool = newPool(
    { connectionString: url, max: config.poolSize ?? DEFAULT_POOL_SIZE, options: '-c jit=off' },
    config.log,
  );
  return { pool, kind: 'postgres', connectionString: url, close: () => pool.end() };
}

async function openPglite(config: DatabaseConfig): Promise<Database> {
  const dataDir = config.pgliteDataDir ?? join('.data', EMBEDDED_PGLITE_DIR);
  const inMemory = dataDir.includes('://');
  // The data files are as private as the socket (Postgres itself insists on a 0700 data folder).
  if (!inMemory) await ownerOnlyFolder(dataDir);
  const socket = await privateSocket(inMemory ? undefined : dataDir);
  const db = await PGlite.create(dataDir).catch(async (error: unknown) => {
    await socket.remove();
    throw error;
  });
  const poolSize = config.poolSize ?? DEFAULT_POOL_SIZE;
  // PGlite has one backend; the socket server multiplexes connections onto it. Without
  // maxConnections it accepts just one, and a pool would hang (docs/data.md § PGlite).
  const server = new PGLiteSocketServer({ db, path: socket.path, maxConnections: poolSize + 5 });
  // Its own queue lets one connection's messages run inside another's query and lose rows; ours
  // gives the backend to one connection at a time until it is idle again (pglite-queue.ts).
  useExclusiveQueue(server, db);
  try {
    await server.start();
    await socket.lockDown();
  } catch (error) {
    await server.stop().catch(() => undefined);
    await db.close();
    await socket.remove();
    throw error;
  }
  const connectionString = socket.connectionString;
  const pool = newPool({ connectionString, max: poolSize, Client: UnnamedStatementsClient }, config.log);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await pool.end();
    await server.stop();
    await db.close();
    await socket.remove();
  };
  config.log?.(`embedded PGlite (${dataDir}) on ${connectionString} (a socket only this OS user can open)`);
  return { pool, kind: 'pglite', connectionString, close };
}

/**
 * A pg client that sends named statements (activities/src/db/statement.ts) unnamed. PGlite's one
 * backend serves every connection, so a statement one connection prepared already exists when the
 * next one prepares it under the same name; unnamed, each is planned per call, as before.
 */
class UnnamedStatementsClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    this.query = ((first: unknown, ...rest: unknown[]) => {
      if (typeof first === 'object' && first !== null && 'name' in first) {
        const { name: _, ...unnamed } = first;
        return query(unnamed, ...rest);
      }
      return query(first, ...rest);
    }) as pg.Client['query'];
  }
}

/** Replaces the server's query queue (read by each connection handler it creates) with ours. */
function useExclusiveQueue(server: PGLiteSocketServer, db: PGlite): void {
  const internals = server as unknown as { queryQueue?: unknown };
  if (typeof internals.queryQueue !== 'object' || internals.queryQueue === null) {
    throw new Error(
      '@electric-sql/pglite-socket changed: PGLiteSocketServer has no queryQueue to replace (see pglite-queue.ts)',
    );
  }
  internals.queryQueue = new ExclusiveQueryQueue(db);
}

function newPool(options: pg.PoolConfig, log?: (message: string) => void): pg.Pool {
  const pool = new pg.Pool(options);
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (error) => log?.(`idle database connection failed: ${error.message}`));
  return pool;
}
