// A CSV import from a streaming request body: decoded and parsed chunk by chunk, validated row by
// row, upserted in batches, all in one transaction. Any broken row rolls everything back and the
// answer is the per-row report; memory holds one batch, never the file.
import type { Readable } from 'node:stream';
import type { Actor } from '../audit.ts';
import { audit } from '../audit.ts';
import type { Db } from '../db/transaction.ts';
import { withTransaction } from '../db/transaction.ts';
import type { EngineDeps } from '../deps.ts';
import { ApiError, conflict, unprocessable } from '../errors.ts';
import type { CsvRecord } from './csv.ts';
import { CsvReader, isFault } from './csv.ts';
import type { ImportKind, ParsedRow, RowError } from './import-kind.ts';
import type { ImportProgress } from './progress.ts';
import { addErrors, beginProgress, endProgress } from './progress.ts';

export const IMPORT_BATCH_SIZE = 1000;
/** Largest accepted file when the deps set none. */
export const DEFAULT_IMPORT_LIMIT_BYTES = 200 * 1024 * 1024;

export const tooLarge = (limit: number) =>
  new ApiError(413, 'body_too_large', `the file is larger than the limit of ${limit} bytes`, ['body']);

/** Ends the import when a row is broken: the transaction rolls back, the report is the answer. */
class Rejected extends Error {}

interface Header {
  columns: string[];
  present: Set<string>;
}

/** The header row: known column names, each once, every required one there. */
function readHeader<R>(kind: ImportKind<R>, record: CsvRecord): Header | RowError[] {
  const columns = record.fields.map((f) => f.trim());
  const errors: RowError[] = [];
  const present = new Set<string>();
  for (const c of columns) {
    if (!kind.columns.includes(c))
      errors.push({
        line: record.line,
        column: c,
        message: `unknown column; the ${kind.name} columns are ${kind.columns.join(', ')}`,
      });
    else if (present.has(c)) errors.push({ line: record.line, column: c, message: 'the column appears twice' });
    present.add(c);
  }
  for (const c of kind.required)
    if (!present.has(c)) errors.push({ line: record.line, column: c, message: 'a required column is missing' });
  return errors.length > 0 ? errors : { columns, present };
}

function validate<R>(kind: ImportKind<R>, header: Header, record: CsvRecord): ParsedRow<R> | RowError[] {
  if (record.fields.length !== header.columns.length) {
    return [
      {
        line: record.line,
        column: null,
        message: `expected ${header.columns.length} fields (as in the header), found ${record.fields.length}`,
      },
    ];
  }
  const cells: Record<string, string> = {};
  header.columns.forEach((c, i) => (cells[c] = record.fields[i]));
  const result = kind.row.safeParse(cells);
  if (result.success) return { line: record.line, row: result.data };
  return result.error.issues.map((issue) => ({
    line: record.line,
    column: issue.path.length > 0 ? String(issue.path[0]) : null,
    message: issue.message,
  }));
}

export interface ImportRequest {
  id: string;
  body: Readable;
  limitBytes: number;
}

/**
 * Runs one import. The imports row is written first (state running) and completed with the
 * outcome: in the import's transaction when it succeeds, after the rollback otherwise.
 */
export async function runImport<R>(
  deps: EngineDeps,
  principal: Actor,
  kind: ImportKind<R>,
  request: ImportRequest,
): Promise<ImportProgress> {
  const startedAt = deps.now?.() ?? new Date();
  await deps.pool
    .query(`INSERT INTO imports (id, kind, state, actor, started_at) VALUES ($1, $2, 'running', $3, $4)`, [
      request.id,
      kind.name,
      principal.actor,
      startedAt,
    ])
    .catch((error: unknown) => {
      request.body.resume();
      // Two uploads chose the same id at once: the second one is refused.
      throw (error as { code?: string }).code === '23505'
        ? conflict('an import with this id exists', ['query', 'importId'])
        : error;
    });
  const progress = beginProgress(request.id, kind.name, startedAt);
  try {
    await withTransaction(deps.pool, async (db) => {
      await streamRows(db, kind, request, progress);
      if (progress.errorCount > 0) throw new Rejected();
      progress.state = 'succeeded';
      progress.finishedAt = deps.now?.() ?? new Date();
      await storeOutcome(db, progress);
      await audit(
        db,
        principal,
        `import.${kind.name}`,
        { type: 'import', id: progress.id },
        { rowsRead: progress.rowsRead, inserted: progress.inserted, updated: progress.updated },
      );
    });
    return progress;
  } catch (error) {
    // Nothing of the file was kept: say so in the outcome, the audit log and the answer.
    progress.state = error instanceof Rejected ? 'rejected' : 'failed';
    progress.inserted = 0;
    progress.updated = 0;
    progress.finishedAt = deps.now?.() ?? new Date();
    if (!(error instanceof Rejected))
      progress.message = error instanceof ApiError ? error.message : 'the import stopped before the end of the file';
    await storeOutcome(deps.pool, progress);
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
          errorCount: progress.errorCount,
          errors: progress.errors,
        },
      );
    }
    throw error;
  } finally {
    endProgress(progress.id);
  }
}

async function storeOutcome(db: Db, p: ImportProgress): Promise<void> {
  await db.query(
    `UPDATE imports SET state = $2, rows_read = $3, rows_failed = $4, inserted = $5, updated = $6, error_count = $7, errors = $8::jsonb, message = $9, finished_at = $10 WHERE id = $1`,
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
    ],
  );
}

/** Reads the body to its end (so the report covers the whole file), writing batches while every row so far is valid. */
async function streamRows<R>(
  db: Db,
  kind: ImportKind<R>,
  request: ImportRequest,
  progress: ImportProgress,
): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const reader = new CsvReader();
  let header: Header | null = null;
  let batch: ParsedRow<R>[] = [];
  let bytes = 0;

  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const refused = kind.check ? await kind.check(db, rows) : [];
    if (refused.length > 0) {
      progress.rowsFailed += new Set(refused.map((e) => e.line)).size;
      addErrors(progress, refused);
    }
    if (progress.errorCount > 0) return;
    // A later row with the same key replaces an earlier one (one statement cannot touch a row twice).
    const byKey = new Map<string, R>();
    for (const r of rows) byKey.set(kind.key(r.row), r.row);
    const counts = await kind.write(db, [...byKey.values()], (header as Header).present);
    progress.inserted += counts.inserted;
    progress.updated += counts.updated;
  };

  const take = async (text: string, final: boolean) => {
    const items = reader.push(text);
    if (final) items.push(...reader.end());
    for (const item of items) {
      if (isFault(item)) {
        if (header) progress.rowsRead += 1;
        progress.rowsFailed += 1;
        addErrors(progress, [{ line: item.line, column: null, message: item.message }]);
        if (!header) throw new Rejected();
        continue;
      }
      if (!header) {
        const read = readHeader(kind, item);
        if (Array.isArray(read)) {
          addErrors(progress, read);
          throw new Rejected();
        }
        header = read;
        continue;
      }
      progress.rowsRead += 1;
      const parsed = validate(kind, header, item);
      if (Array.isArray(parsed)) {
        progress.rowsFailed += 1;
        addErrors(progress, parsed);
        continue;
      }
      batch.push(parsed);
      if (batch.length >= IMPORT_BATCH_SIZE) await flush();
    }
  };

  try {
    // Not destroyed on an early exit: the rest is drained below and the connection stays usable.
    for await (const chunk of request.body.iterator({ destroyOnReturn: false })) {
      const buffer = chunk as Buffer;
      bytes += buffer.length;
      if (bytes > request.limitBytes) throw tooLarge(request.limitBytes);
      await take(decodeChunk(decoder, buffer), false);
    }
    await take(decodeChunk(decoder), true);
  } catch (error) {
    // The rest of the upload is discarded unread, so the answer can go out.
    request.body.resume();
    throw error;
  }
  if (!header && progress.errorCount === 0) {
    addErrors(progress, [
      { line: 1, column: null, message: `the file is empty; it needs a header row with ${kind.required.join(', ')}` },
    ]);
  }
  await flush();
}

function decodeChunk(decoder: TextDecoder, buffer?: Buffer): string {
  try {
    return buffer ? decoder.decode(buffer, { stream: true }) : decoder.decode();
  } catch {
    throw new ApiError(400, 'invalid_encoding', 'the file is not valid UTF-8', ['body']);
  }
}
