// What an importable table provides (customers.ts, orders.ts, order-items.ts, products.ts,
// reviews.ts), and the one batch upsert they share.
import type { ImportKindName } from '@huitou/schemas/http';
import type { z } from 'zod';
import type { Db } from '../db/transaction.ts';

export interface RowError {
  /** Line of the file the record starts on (the header is line 1). */
  line: number;
  /** The column at fault; null when the record as a whole is (wrong number of fields). */
  column: string | null;
  message: string;
}

export interface ParsedRow<R> {
  line: number;
  row: R;
}

/** What an import created besides its rows (ImportOut). */
export interface ImportSummary {
  customersCreated: number;
  unreachablePhones: number;
  productsCreated: number;
  /** The first 100 products created, by sku. */
  newProducts: { sku: string; name: string }[];
}

export interface WriteCounts extends Partial<Omit<ImportSummary, 'newProducts' | 'unreachablePhones'>> {
  inserted: number;
  updated: number;
  newProducts?: ImportSummary['newProducts'];
  /** Rows the database refused while applying (nothing of the import is kept). */
  errors?: RowError[];
}

/**
 * A file format other than our own columns (a marketplace's export), told by its header: it has
 * every `signature` column. Columns it does not know are ignored; each row becomes the kind's row.
 */
export interface ForeignFormat<R> {
  name: 'taobao';
  /** A header with all of these is in this format (then `required` ones must be there too). */
  signature: readonly string[];
  /** The export's header names this format reads. */
  columns: readonly string[];
  required: readonly string[];
  row: z.ZodType<R>;
  /** The kind's fields a file with these columns fills (what a re-import updates). */
  fills: (present: ReadonlySet<string>) => Set<string>;
  /** The export's column for a field `check` names in its errors. */
  columnOf: Readonly<Record<string, string>>;
}

/** Staged batches (IMPORT_BATCH_SIZE rows each) an `applyRanges` kind applies together. */
export const APPLY_BATCHES = 20;

/** An apply under way in the import's transaction (ImportKind.applyRanges). */
export interface RangedApply {
  /** Applies staged batches from..to (inclusive); false when the database refused rows: stop there. */
  range(from: number, to: number): Promise<boolean>;
  /** What the ranges wrote, and the rows refused. */
  totals(): WriteCounts;
}

export interface ImportKind<R> {
  name: ImportKindName;
  /** Every column the file may have; `required` ones must be in the header. */
  columns: readonly string[];
  required: readonly string[];
  /** Validates one record, keyed by header column (left-out columns are absent). */
  row: z.ZodType<R>;
  /** Other formats, recognised by their header (else the file is in our own columns). */
  foreign?: readonly ForeignFormat<R>[];
  /** The upsert key: a later row with the same one replaces an earlier one. */
  key: (row: R) => string;
  /** Errors only the database can find (an order's unknown customer); reads, never writes. */
  check?: (db: Db, rows: readonly ParsedRow<R>[]) => Promise<RowError[]>;
  /** The rows `check` reads (default: every row); only those reach it as objects (row-reader.ts). */
  checks?: (row: R) => boolean;
  /** Upserts a batch of valid rows with distinct keys; only the header's columns are written. */
  write?: (db: Db, rows: readonly R[], present: ReadonlySet<string>) => Promise<WriteCounts>;
  /**
   * Instead of `write` per batch: applies every staged batch of the import at once, set-based in
   * SQL (when rows of one key span batches, e.g. an order's items).
   */
  applyAll?: (db: Db, importId: string, present: ReadonlySet<string>) => Promise<WriteCounts>;
  /**
   * Instead of `write` per batch: staged batches applied set-based in SQL a range of APPLY_BATCHES
   * at a time, in file order, in the import's transaction. On Postgres ranges are applied while the
   * file still streams (run-import.ts).
   */
  applyRanges?: (db: Db, importId: string, present: ReadonlySet<string>) => Promise<RangedApply>;
  /** Counts over the applied import (ImportSummary.unreachablePhones), in its transaction. */
  summarise?: (db: Db, importId: string) => Promise<Partial<ImportSummary>>;
}

export interface UpsertColumn {
  name: string;
  /** Postgres type of the column's array parameter. */
  type: string;
  /** What is inserted, over `u.<name>` (default the value itself). */
  expr?: string;
}

/**
 * One statement per batch: every column travels as one array parameter and unnest turns them back
 * into rows (a fixed, small number of parameters whatever the batch size). Column names come from
 * the kind's fixed list, never from the file. Counts inserted vs updated rows (xmax is 0 only for
 * a row this statement inserted).
 */
export async function upsertBatch(
  db: Db,
  spec: {
    table: string;
    key: string;
    columns: readonly UpsertColumn[];
    values: unknown[][];
    join?: string;
    update?: readonly string[];
  },
): Promise<WriteCounts> {
  const names = spec.columns.map((c) => c.name);
  const update = spec.update ?? names.filter((n) => n !== spec.key);
  const { rows } = await db.query<{ inserted: boolean }>(
    `INSERT INTO ${spec.table} (${names.join(', ')})
     SELECT ${spec.columns.map((c) => c.expr ?? `u.${c.name}`).join(', ')}
     FROM unnest(${spec.columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')}) AS u(${names.join(', ')}) ${spec.join ?? ''}
     ON CONFLICT (${spec.key}) DO UPDATE SET ${update.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}
     RETURNING (xmax = 0) AS inserted`,
    spec.values,
  );
  const inserted = rows.filter((r) => r.inserted).length;
  return { inserted, updated: rows.length - inserted };
}

/** Every row's order_external_id names an order already in the shop (a read; per batch and again when applied). */
export async function unknownOrders<R extends { order_external_id: string }>(
  db: Db,
  rows: readonly ParsedRow<R>[],
): Promise<RowError[]> {
  const { rows: known } = await db.query<{ external_id: string }>(
    'SELECT external_id FROM orders WHERE external_id = ANY($1::text[])',
    [[...new Set(rows.map((r) => r.row.order_external_id))]],
  );
  const found = new Set(known.map((k) => k.external_id));
  return rows
    .filter((r) => !found.has(r.row.order_external_id))
    .map((r) => ({ line: r.line, column: 'order_external_id', message: 'no order with this external id' }));
}
