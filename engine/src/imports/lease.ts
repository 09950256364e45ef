// Which process runs an import, and the sweep that fails imports a crash interrupted. An import's
// row names its owner (this process) and carries a heartbeat renewed while it runs; an import
// still `running` whose heartbeat is older than the lease was interrupted. On PGlite the database
// belongs to one process, so at start every running import is an interrupted one.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { LogFn } from '../observability/logger.ts';

/** This process, as the owner of the imports it runs. */
export const IMPORT_OWNER = randomUUID();
/** How often a running import renews its heartbeat. */
export const HEARTBEAT_MS = 5_000;
/** A heartbeat older than this means the owner is gone (six missed renewals). */
export const DEFAULT_IMPORT_LEASE_MS = 30_000;

export const INTERRUPTED_MESSAGE = 'the engine stopped during the import (crash or kill); nothing was imported';

export interface SweepOptions {
  /** The database belongs to this process alone (PGlite): every running import is interrupted. */
  exclusive: boolean;
  leaseMs?: number;
}

/**
 * Marks interrupted imports failed, with the reason, and drops their staged rows (nothing of an
 * interrupted import was applied: applying is one transaction). Idempotent. Returns their ids.
 * An import committing holds its row locked (run-import.ts) and its heartbeat cannot be renewed
 * meanwhile: the lock itself shows its owner alive (a crash drops it), so a locked row is skipped,
 * never waited for.
 */
export async function failInterruptedImports(pool: pg.Pool, options: SweepOptions): Promise<string[]> {
  const leaseMs = options.leaseMs ?? DEFAULT_IMPORT_LEASE_MS;
  const { rows } = await pool.query<{ id: string }>(
    `UPDATE imports SET state = 'failed', message = $1, inserted = 0, updated = 0, finished_at = now()
     WHERE id IN (
       SELECT id FROM imports
       WHERE state = 'running'
         AND ($2 OR coalesce(heartbeat_at, started_at) < now() - make_interval(secs => $3::double precision / 1000))
       FOR UPDATE SKIP LOCKED)
     RETURNING id`,
    [INTERRUPTED_MESSAGE, options.exclusive, leaseMs],
  );
  if (rows.length > 0)
    await pool.query('DELETE FROM import_batches WHERE import_id = ANY($1::uuid[])', [rows.map((r) => r.id)]);
  return rows.map((r) => r.id);
}

/**
 * Sweeps once now and then every half lease (only needed when engines share a Postgres: another
 * engine's crash is found once its lease has run out). Returns stop.
 */
export function startImportSweep(
  pool: pg.Pool,
  options: SweepOptions & { log?: LogFn },
): { first: Promise<string[]>; stop: () => void } {
  const sweep = (o: SweepOptions) =>
    failInterruptedImports(pool, o).then(
      (ids) => {
        if (ids.length > 0)
          options.log?.(`marked ${ids.length} interrupted import(s) failed: ${ids.join(', ')}`, 'warn');
        return ids;
      },
      (error: unknown) => {
        options.log?.(`import sweep failed: ${error instanceof Error ? error.message : String(error)}`, 'warn');
        return [];
      },
    );
  const first = sweep(options);
  // After the first sweep this process's own imports are the only live ones on PGlite: by lease.
  const timer = setInterval(
    () => void sweep({ ...options, exclusive: false }),
    (options.leaseMs ?? DEFAULT_IMPORT_LEASE_MS) / 2,
  );
  timer.unref();
  return { first, stop: () => clearInterval(timer) };
}
