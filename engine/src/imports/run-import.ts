// A CSV import from a streaming request body: decoded and parsed chunk by chunk, validated row by
// row and staged in batches (import_batches, one short statement each), then applied in one
// transaction. On PGlite it is applied once the whole file is read and valid: no transaction stays
// open while the client sends (it would hold the one backend). On Postgres an orders import is
// applied range by range as it streams, in a transaction open meanwhile (the read and the apply
// overlap). Any broken row and nothing is applied (the transaction rolls back): the answer is the
// per-row report. Memory holds one batch, never the file.
import type { Readable } from 'node:stream';
import type { Actor } from '../audit.ts';
import { audit } from '../audit.ts';
import type { Db } from '../db/transaction.ts';
import { withTransaction } from '../db/transaction.ts';
import type { EngineDeps } from '../deps.ts';
import { ApiError, conflict, unprocessable } from '../errors.ts';
import { HEARTBEAT_MS, IMPORT_OWNER } from './lease.ts';
import type { Charset } from './charset.ts';
import { openParser } from './parser.ts';
import { StagedFeed } from './staged-feed.ts';
import type { HeaderRead, ReadOut, StagedBatch } from './row-reader.ts';
import type { ImportKind, ParsedRow, RowError, WriteCounts } from './import-kind.ts';
import { APPLY_BATCHES } from './import-kind.ts';
import type { ImportProgress } from './progress.ts';
import { MAX_REPORTED_ERRORS, addErrors, beginProgress, emptySummary, endProgress } from './progress.ts';

export { IMPORT_BATCH_SIZE } from './row-reader.ts';

const seconds = (ms: number) => (ms / 1000).toFixed(1);
/** Largest accepted file when the deps set none. */
export const DEFAULT_IMPORT_LIMIT_BYTES = 200 * 1024 * 1024;
/** An upload that sends no byte for this long is given up (ImportRequest.idleMs). */
export const DEFAULT_IMPORT_IDLE_MS = 30_000;

export const tooLarge = (limit: number) =>
  new ApiError(413, 'body_too_large', `the file is larger than the limit of ${limit} bytes`, ['body']);

/** Ends the import when a row is broken: the transaction rolls back, the report is the answer. */
class Rejected extends Error {}

export interface ImportRequest {
  id: string;
  body: Readable;
  limitBytes: number;
  /** No byte for this long and the upload is given up (default DEFAULT_IMPORT_IDLE_MS). */
  idleMs?: number;
  /** The Content-Type's charset; null: detected from the first bytes (charset.ts). */
  charset?: Charset | null;
  /** The uploaded file's name, for the history (ImportQuery.fileName). */
  fileName?: string | null;
  /**
   * Apply ranges while the file streams (kinds with applyRanges), in a transaction open meanwhile:
   * Postgres only; on PGlite that transaction would hold the one backend the staging needs.
   */
  applyWhileStreaming?: boolean;
}

/**
 * Runs one import. The imports row is written first (state running, owned by this process, with a
 * heartbeat) and completed with the outcome: in the applying transaction when it succeeds, after
 * it otherwise. A crash leaves it running with a stale heartbeat; the sweep (lease.ts) fails it.
 */
export async function runImport<R>(
  deps: EngineDeps,
  principal: Actor,
  kind: ImportKind<R>,
  request: ImportRequest,
): Promise<ImportProgress> {
  const startedAt = deps.now?.() ?? new Date();
  await deps.pool
    .query(
      `INSERT INTO imports (id, kind, state, actor, started_at, owner, heartbeat_at, file_name) VALUES ($1, $2, 'running', $3, $4, $5, now(), $6)`,
      [request.id, kind.name, principal.actor, startedAt, IMPORT_OWNER, request.fileName ?? null],
    )
    .catch((error: unknown) => {
      request.body.resume();
      // Two uploads chose the same id at once: the second one is refused.
      throw (error as { code?: string }).code === '23505'
        ? conflict('an import with this id exists', ['query', 'importId'])
        : error;
    });
  const progress = beginProgress(request.id, kind.name, startedAt);
  // The lease: renewed while the file streams, so other engines' sweeps leave this import alone.
  const heartbeat = setInterval(() => {
    void deps.pool
      // Skipped, not queued, while the commit holds the row: a queued renewal would hold a pooled
      // connection until it ends (the held lock is the lease then, lease.ts).
      .query(
        `UPDATE imports SET heartbeat_at = now(), rows_read = $2
         WHERE id = (SELECT id FROM imports WHERE id = $1 AND state = 'running' FOR UPDATE SKIP LOCKED)`,
        [progress.id, progress.rowsRead],
      )
      .catch(() => {});
  }, HEARTBEAT_MS);
  heartbeat.unref();
  try {
    const streamStarted = performance.now();
    const following = Boolean(request.applyWhileStreaming && kind.applyRanges);
    const run: ImportRun<R> = { deps, principal, kind, request, progress, feed: new StagedFeed() };
    const applyStarted = await (following ? applyWhileStreaming : applyAfterStreaming)(run);
    // Where a large import's time went (ops, and the import benchmark reads it).
    deps.log(
      `import ${progress.id} (${kind.name}, ${progress.format ?? 'huitou'}): ${progress.rowsRead.toLocaleString('en-US')} rows read in ${seconds(applyStarted - streamStarted)} s, applied in ${seconds(performance.now() - applyStarted)} s${following ? ' more (ranges applied while reading)' : ''}`,
    );
    return progress;
  } catch (error) {
    // Nothing of the file was kept: say so in the outcome, the audit log and the answer.
    progress.state = error instanceof Rejected ? 'rejected' : 'failed';
    progress.inserted = 0;
    progress.updated = 0;
    progress.summary = emptySummary();
    progress.finishedAt = deps.now?.() ?? new Date();
    if (!(error instanceof Rejected))
      progress.message = error instanceof ApiError ? error.message : 'the import stopped before the end of the file';
    await storeOutcome(deps.pool, progress);
    await deps.pool.query('DELETE FROM import_batches WHERE import_id = $1', [progress.id]);
    await audit(
      deps.pool,
      principal,
      `import.${kind.name}.${progress.state}`,
      { type: 'import', id: progress.id },
      { rowsRead: progress.rowsRead, errorCount: progress.errorCount },
    );
    if (error instanceof Rejected) {
      throw unprocessable(
        'invalid_rows',
        `${progress.rowsFailed} of ${progress.rowsRead} rows are invalid (${progress.errorCount} errors); nothing was imported`,
        ['body'],
        {
          importId: progress.id,
          rowsRead: progress.rowsRead,
          rowsFailed: progress.rowsFailed,
          errorCount: progress.errorCount,
          errors: progress.errors,
        },
      );
    }
    throw error;
  } finally {
    clearInterval(heartbeat);
    endProgress(progress.id);
  }
}

/** One import under way: who asked, what, and what its streaming has staged so far. */
interface ImportRun<R> {
  deps: EngineDeps;
  principal: Actor;
  kind: ImportKind<R>;
  request: ImportRequest;
  progress: ImportProgress;
  feed: StagedFeed;
}

/** Reads and stages the whole file, then applies it in one transaction. Returns when reading ended. */
async function applyAfterStreaming<R>(run: ImportRun<R>): Promise<number> {
  await streamRows(run);
  if (run.progress.errorCount > 0) throw new Rejected();
  const applyStarted = performance.now();
  run.feed.end();
  await withTransaction(run.deps.pool, (db) => commitIn(db, run));
  return applyStarted;
}

/**
 * Postgres: ranges are applied as they are staged, in one transaction open while the file streams
 * (other connections go on meanwhile); the apply's half of the work overlaps the read.
 */
async function applyWhileStreaming<R>(run: ImportRun<R>): Promise<number> {
  const { feed } = run;
  const applying = withTransaction(run.deps.pool, (db) => commitIn(db, run));
  // A failed apply ends the staging (the rest of the file is still read for the report).
  applying.catch(() => feed.abandon());
  try {
    await streamRows(run);
    if (run.progress.errorCount > 0) throw new Rejected();
  } catch (error) {
    feed.abandon();
    await applying.catch(() => {});
    throw error;
  }
  const applyStarted = performance.now();
  feed.end();
  await applying;
  return applyStarted;
}

/**
 * The import's transaction: the staged rows are applied, then the outcome is stored with them.
 * The import's row is locked last (a renewal meanwhile is skipped, lease.ts): still running means
 * still ours; a sweep that judged it interrupted has failed it, and it stays failed.
 */
async function commitIn<R>(db: Db, run: ImportRun<R>): Promise<void> {
  const { deps, principal, kind, progress } = run;
  await applyStaged(db, run);
  if (progress.errorCount > 0) throw new Rejected();
  const live = await db.query(`SELECT 1 FROM imports WHERE id = $1 AND state = 'running' FOR UPDATE`, [progress.id]);
  if (live.rowCount === 0) throw new ApiError(409, 'import_interrupted', 'the import was marked interrupted', []);
  progress.state = 'succeeded';
  progress.finishedAt = deps.now?.() ?? new Date();
  await storeOutcome(db, progress);
  await db.query('DELETE FROM import_batches WHERE import_id = $1', [progress.id]);
  await audit(
    db,
    principal,
    `import.${kind.name}`,
    { type: 'import', id: progress.id },
    {
      rowsRead: progress.rowsRead,
      inserted: progress.inserted,
      updated: progress.updated,
      customersCreated: progress.summary.customersCreated,
      productsCreated: progress.summary.productsCreated,
    },
  );
}

async function storeOutcome(db: Db, p: ImportProgress): Promise<void> {
  await db.query(
    `UPDATE imports SET state = $2, rows_read = $3, rows_failed = $4, inserted = $5, updated = $6, error_count = $7, errors = $8::jsonb, message = $9, finished_at = $10, format = $11, charset = $12, summary = $13::jsonb, heartbeat_at = now() WHERE id = $1`,
    [
      p.id,
      p.state,
      p.rowsRead,
      p.rowsFailed,
      p.inserted,
      p.updated,
      p.errorCount,
      JSON.stringify(p.errors),
      p.message,
      p.finishedAt,
      p.format,
      p.charset,
      JSON.stringify(p.summary),
    ],
  );
}

/** Errors of the kind's fields under the file's own column names. */
const named = (errors: readonly RowError[], columnOf: Readonly<Record<string, string>>): RowError[] =>
  errors.map((e) => ({ ...e, column: e.column === null ? null : (columnOf[e.column] ?? e.column) }));

/**
 * Writes the staged batches in file order, in the caller's transaction, one batch (or range) in
 * memory at a time, each once the feed has it: at once after the stream, or while it streams. An
 * abandoned stream (a broken row, a failed upload) rolls the transaction back. The database checks
 * run again here: the shop may have changed while the file streamed.
 */
async function applyStaged<R>(db: Db, { kind, progress, feed }: ImportRun<R>): Promise<void> {
  // The header's columns decide what is written: known once the first range (or the end) is in.
  await feed.until(kind.applyRanges ? APPLY_BATCHES : Number.POSITIVE_INFINITY);
  if (feed.abandoned) throw new Rejected();
  if (kind.applyRanges) {
    const apply = await kind.applyRanges(db, progress.id, feed.present);
    for (let from = 0; ; from += APPLY_BATCHES) {
      await feed.until(from + APPLY_BATCHES);
      if (feed.abandoned) throw new Rejected();
      const to = Math.min(from + APPLY_BATCHES, feed.count) - 1;
      if (to < from || !(await apply.range(from, to))) break;
    }
    count(progress, apply.totals(), feed.columnOf);
  } else if (kind.applyAll) count(progress, await kind.applyAll(db, progress.id, feed.present), feed.columnOf);
  else await applyBatches(db, kind, progress, feed);
  if (progress.errorCount === 0 && kind.summarise)
    Object.assign(progress.summary, await kind.summarise(db, progress.id));
}

function count(progress: ImportProgress, counts: WriteCounts, columnOf: StagedFeed['columnOf'] = {}): void {
  const s = progress.summary;
  progress.inserted += counts.inserted;
  progress.updated += counts.updated;
  s.customersCreated += counts.customersCreated ?? 0;
  s.productsCreated += counts.productsCreated ?? 0;
  for (const p of counts.newProducts ?? []) if (s.newProducts.length < MAX_REPORTED_ERRORS) s.newProducts.push(p);
  if (counts.errors?.length) {
    progress.rowsFailed += new Set(counts.errors.map((e) => e.line)).size;
    addErrors(progress, named(counts.errors, columnOf));
  }
}

async function applyBatches<R>(
  db: Db,
  kind: ImportKind<R>,
  progress: ImportProgress,
  staged: StagedFeed,
): Promise<void> {
  for (let batchNo = 0; batchNo < staged.count; batchNo++) {
    const { rows } = await db.query<{ parsed: ParsedRow<R>[] }>(
      'SELECT parsed FROM import_batches WHERE import_id = $1 AND batch_no = $2',
      [progress.id, batchNo],
    );
    const batch = rows[0].parsed;
    const refused = kind.check ? await kind.check(db, batch) : [];
    if (refused.length > 0) {
      progress.rowsFailed += new Set(refused.map((e) => e.line)).size;
      addErrors(progress, refused);
      return;
    }
    // A later row with the same key replaces an earlier one (one statement cannot touch a row twice).
    const byKey = new Map<string, R>();
    for (const r of batch) byKey.set(kind.key(r.row), r.row);
    if (!kind.write) throw new Error(`the ${kind.name} import has neither write nor applyAll`);
    count(progress, await kind.write(db, [...byKey.values()], staged.present));
  }
}

/** Pieces of the body the parser may hold at once: it reads one while the next ones wait. */
const PIECES_IN_FLIGHT = 3;

/**
 * Reads the body to its end (so the report covers the whole file), staging batches while every row
 * so far is valid: each batch is one INSERT, its own short transaction. The parser's worker thread
 * reads pieces of the file while this thread stages what it gave (parser.ts).
 */
async function streamRows<R>({ deps, kind, request, progress, feed }: ImportRun<R>): Promise<void> {
  const pool = deps.pool;
  const parser = openParser<R>(kind.name, request.charset ?? null);
  let header: HeaderRead | null = null;
  let bytes = 0;
  let count = 0;

  // One batch is staged (checked, then inserted) while the next one is parsed: the database and
  // the parser work at once. At most two batches are in memory here.
  let staging: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | null = null;
  const stage = async (batch: StagedBatch<R>) => {
    // Reads only (an order's unknown customer): found while streaming, so the report has them all.
    const refused = kind.check && batch.checked.length > 0 ? await kind.check(pool, batch.checked) : [];
    if (refused.length > 0) {
      progress.rowsFailed += new Set(refused.map((e) => e.line)).size;
      addErrors(progress, named(refused, feed.columnOf));
    }
    if (progress.errorCount > 0 || feed.abandoned) return;
    await pool.query('INSERT INTO import_batches (import_id, batch_no, parsed) VALUES ($1, $2, $3::jsonb)', [
      progress.id,
      count,
      batch.json,
    ]);
    count += 1;
    feed.staged(count);
  };
  const settle = async () => {
    await staging;
    if (failure) throw failure.error;
  };
  const flush = async (batch: StagedBatch<R>) => {
    await settle();
    staging = stage(batch).catch((error: unknown) => void (failure = { error }));
  };

  const take = async (out: ReadOut<R>) => {
    if (out.header) {
      header = out.header;
      progress.format = out.header.format;
      feed.present = new Set(out.header.present);
      feed.columnOf = out.header.columnOf;
    }
    progress.charset = out.charset ?? progress.charset;
    progress.rowsRead += out.rowsRead;
    progress.rowsFailed += out.rowsFailed;
    addErrors(progress, out.errors);
    if (out.fatal) throw new Rejected();
    for (const batch of out.batches) await flush(batch);
  };

  // What the parser gives is taken as soon as it comes, in file order (progress and an upload
  // given up count every row read so far); at most PIECES_IN_FLIGHT pieces wait to be taken.
  const taking: Promise<void>[] = [];
  let last: Promise<void> = Promise.resolve();
  const collect = (piece: Promise<ReadOut<R>>) => {
    // Awaited in turn below (or dropped when the import stops): never an unhandled rejection.
    piece.catch(() => {});
    last = last.then(async () => take(await piece));
    last.catch(() => {});
    taking.push(last);
  };
  try {
    for await (const buffer of chunksUntilIdle(request.body, request.idleMs ?? DEFAULT_IMPORT_IDLE_MS)) {
      bytes += buffer.length;
      if (bytes > request.limitBytes) throw tooLarge(request.limitBytes);
      collect(parser.push(buffer));
      while (taking.length >= PIECES_IN_FLIGHT) await taking.shift();
    }
    collect(parser.end());
    await last;
    await settle();
  } catch (error) {
    // The rest of the upload is discarded unread, so the answer can go out; a batch being staged
    // lands first (the caller drops the staged rows).
    request.body.resume();
    parser.close();
    await Promise.allSettled(taking);
    await staging;
    throw error;
  }
  if (!header && progress.errorCount === 0) {
    addErrors(progress, [
      { line: 1, column: null, message: `the file is empty; it needs a header row with ${kind.required.join(', ')}` },
    ]);
  }
}

/** The body's chunks; gives up (408) when the client sends nothing for `idleMs`. */
async function* chunksUntilIdle(body: Readable, idleMs: number): AsyncGenerator<Buffer> {
  // Not destroyed on an early exit: the rest is drained and the connection stays usable.
  const chunks = body.iterator({ destroyOnReturn: false });
  let done = false;
  try {
    for (;;) {
      const next = chunks.next();
      // Lost the race to the timer: an error it settles with later must not go unhandled.
      next.catch(() => {});
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new ApiError(
                408,
                'upload_idle',
                `the upload sent nothing for ${Math.round(idleMs / 1000)} s and was given up; nothing was imported`,
                ['body'],
              ),
            ),
          idleMs,
        );
      });
      const result = await Promise.race([next, idle]).finally(() => clearTimeout(timer));
      if (result.done) {
        done = true;
        return;
      }
      yield result.value as Buffer;
    }
  } finally {
    // Detaches the iterator's 'readable' listener (it would keep resume() from draining the rest).
    if (!done) void chunks.return?.().catch(() => {});
  }
}
