// `npm run migrate`: applies the pending migrations (engine/migrations) to the configured database
// (DATABASE_URL, or the embedded PGlite under HUITOU_DATA_DIR) and exits. The engine and the worker
// also migrate on start; this is for deployments that migrate as a separate step before rolling out.
import { configOrReport, exitOnHelp, processLogger } from './cli.ts';
import { databaseConfigFrom, openDatabase } from './db/connect.ts';
import { applyMigrations } from './db/migrate.ts';

exitOnHelp({
  command: 'npm run migrate',
  summary:
    'Applies the pending database migrations (engine/migrations) to DATABASE_URL, or to the embedded PGlite in HUITOU_DATA_DIR, and exits. Re-running is a no-op; an applied file that changed is an error.',
});

async function main(): Promise<number> {
  const config = configOrReport();
  if (!config) return 1;
  const log = processLogger(config).for('migrate');
  const db = await openDatabase({ ...databaseConfigFrom(config), migrate: false, log });
  try {
    const applied = await applyMigrations(db.pool, { log });
    log(applied.length === 0 ? 'up to date' : `applied ${applied.length}: ${applied.join(', ')}`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[huitou migrate] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
