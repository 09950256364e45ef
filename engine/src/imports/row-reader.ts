// Reading an import's file: bytes in (any charset), parsed rows and per-row errors out. Pure
// (no database): it runs in the import parser's worker thread (parser.ts), so a large file's
// decoding, CSV and validation do not hold the event loop that serves requests and stages batches
// (and, on PGlite, runs the database).
import type { z } from 'zod';
import type { Charset } from './charset.ts';
import { ImportDecoder } from './charset.ts';
import type { CsvRecord } from './csv.ts';
import { CsvReader, isFault } from './csv.ts';
import type { ImportKind, ParsedRow, RowError } from './import-kind.ts';

const NUL_MESSAGE = 'contains a NUL character (U+0000), which text cannot hold';
/** The decoder's stand-in for bytes the file's charset cannot read (charset.ts). */
const UNREADABLE = '\uFFFD';
const unreadable = (charset: Charset | null) =>
  `has bytes that are not ${charset === 'gb18030' ? 'GBK/GB18030' : 'UTF-8'} text (save the file as UTF-8, GBK or GB18030, or declare its charset)`;

interface Header<R> {
  format: 'huitou' | 'taobao';
  /** Per field of the file: the column it fills, or null (a column this format ignores). */
  columns: (string | null)[];
  row: z.ZodType<R>;
  /** The kind's fields the file fills: what a re-import updates. */
  present: Set<string>;
  /** The file's column for a field of the kind's row (errors name what the file calls it). */
  columnOf: Readonly<Record<string, string>>;
}

/** A header cell as exports write it: a BOM, spaces, tabs or quotes around the name are not part of it. */
const headerName = (cell: string) => cell.replace(/^[\s\uFEFF"'=]+|[\s"']+$/g, '');

/** The header row: our own columns (each known, once, every required one there) or a foreign format's. */
function readHeader<R>(kind: ImportKind<R>, record: CsvRecord, charset: Charset | null): Header<R> | RowError[] {
  const names = record.fields.map(headerName);
  const errors: RowError[] = [];
  const present = new Set<string>();
  const foreign = kind.foreign?.find((f) => f.signature.every((c) => names.includes(c)));
  const known = foreign?.columns ?? kind.columns;
  const columns = names.map((c, i) => {
    if (!known.includes(c)) {
      if (foreign) return null;
      // Named by position, never by its text: a file without a header has a customer's phone here.
      errors.push({
        line: record.line,
        column: null,
        message: record.fields[i].includes(UNREADABLE)
          ? `field ${i + 1} of the header ${unreadable(charset)}`
          : `field ${i + 1} of the header is not a column name (the first line must be the header); the ${kind.name} columns are ${kind.columns.join(', ')}`,
      });
    } else if (present.has(c)) errors.push({ line: record.line, column: c, message: 'the column appears twice' });
    present.add(c);
    return c;
  });
  for (const c of foreign?.required ?? kind.required)
    if (!present.has(c)) errors.push({ line: record.line, column: c, message: 'a required column is missing' });
  if (errors.length > 0) return errors;
  return foreign
    ? { format: foreign.name, columns, row: foreign.row, present: foreign.fills(present), columnOf: foreign.columnOf }
    : { format: 'huitou', columns, row: kind.row, present, columnOf: {} };
}

function validate<R>(header: Header<R>, record: CsvRecord, charset: Charset | null): ParsedRow<R> | RowError[] {
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
  const faults: RowError[] = [];
  header.columns.forEach((c, i) => {
    if (c === null) return;
    const cell = record.fields[i];
    if (cell.includes('\u0000')) faults.push({ line: record.line, column: c, message: NUL_MESSAGE });
    else if (cell.includes(UNREADABLE)) faults.push({ line: record.line, column: c, message: unreadable(charset) });
    cells[c] = cell;
  });
  if (faults.length > 0) return faults;
  const result = header.row.safeParse(cells);
  if (result.success) return { line: record.line, row: result.data };
  return result.error.issues.map((issue) => {
    const column = issue.path.length > 0 ? String(issue.path[0]) : null;
    return { line: record.line, column, message: withoutCell(issue.message, column ? cells[column] : undefined) };
  });
}

/** A rule's message, unless it repeats the cell (a phone, an e-mail): then only the rule's kind. */
function withoutCell(message: string, cell: string | undefined): string {
  const value = cell?.trim() ?? '';
  return value.length >= 4 && message.includes(value) ? "the value does not match the column's rule" : message;
}

/** What the header told: the file's format and the kind's fields it fills. */
export interface HeaderRead {
  format: 'huitou' | 'taobao';
  charset: Charset | null;
  /** The kind's fields the file fills: what a re-import updates. */
  present: string[];
  /** The file's column for a field of the kind's row (errors name what the file calls it). */
  columnOf: Record<string, string>;
}

/** Valid rows per staged batch (one INSERT of import_batches each). */
export const IMPORT_BATCH_SIZE = 1000;

/**
 * A batch of valid rows as it is staged: serialized here, in the parser's thread, so the event
 * loop neither copies the rows over nor stringifies them (5–7 s of its time per 1M orders).
 */
export interface StagedBatch<R> {
  /** The rows, a JSON array (null fields left out). */
  json: string;
  count: number;
  /** The rows the kind's `check` reads (ImportKind.checks), as objects. */
  checked: ParsedRow<R>[];
}

/** What a piece of the file gave. */
export interface ReadOut<R> {
  /** Set once, by the piece that held the header. */
  header?: HeaderRead;
  /** The file's charset once known (declared, or detected from the first bytes). */
  charset: Charset | null;
  /** Batches of IMPORT_BATCH_SIZE valid rows completed by this piece; the last piece gives the rest. */
  batches: StagedBatch<R>[];
  errors: RowError[];
  /** Records read after the header, and how many of them were broken. */
  rowsRead: number;
  rowsFailed: number;
  /** The header is broken: nothing more is read (the report is the answer). */
  fatal: boolean;
}

/** Reads one file of one kind, piece by piece. Memory holds one record, never the file. */
export class RowReader<R> {
  private readonly decoder: ImportDecoder;
  private readonly csv = new CsvReader();
  private header: Header<R> | null = null;
  private fatal = false;
  /** Valid rows not yet in a batch. */
  private batch: ParsedRow<R>[] = [];

  constructor(
    private readonly kind: ImportKind<R>,
    charset: Charset | null,
  ) {
    this.decoder = new ImportDecoder(charset);
  }

  push(bytes: Uint8Array): ReadOut<R> {
    return this.read(this.csv.push(this.decoder.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length))));
  }

  end(): ReadOut<R> {
    const records = this.csv.push(this.decoder.end());
    records.push(...this.csv.end());
    const out = this.read(records);
    if (!out.fatal && this.batch.length > 0) out.batches.push(this.seal());
    return out;
  }

  private seal(): StagedBatch<R> {
    const rows = this.batch;
    this.batch = [];
    const { check, checks } = this.kind;
    return {
      json: JSON.stringify(rows),
      count: rows.length,
      checked: !check ? [] : checks ? rows.filter((r) => checks(r.row)) : rows,
    };
  }

  private read(items: ReturnType<CsvReader['push']>): ReadOut<R> {
    const out: ReadOut<R> = {
      batches: [],
      errors: [],
      rowsRead: 0,
      rowsFailed: 0,
      fatal: this.fatal,
      charset: this.decoder.charset,
    };
    for (const item of items) {
      if (out.fatal) break;
      if (isFault(item)) {
        if (this.header) out.rowsRead += 1;
        out.rowsFailed += 1;
        out.errors.push({ line: item.line, column: null, message: item.message });
        if (!this.header) out.fatal = true;
        continue;
      }
      if (!this.header) {
        const read = readHeader(this.kind, item, this.decoder.charset);
        if (Array.isArray(read)) {
          out.errors.push(...read);
          out.fatal = true;
          continue;
        }
        this.header = read;
        out.header = {
          format: read.format,
          charset: this.decoder.charset,
          present: [...read.present],
          columnOf: { ...read.columnOf },
        };
        continue;
      }
      out.rowsRead += 1;
      const parsed = validate(this.header, item, this.decoder.charset);
      if (Array.isArray(parsed)) {
        out.rowsFailed += 1;
        out.errors.push(...parsed);
      } else {
        this.batch.push({ line: parsed.line, row: withoutNulls(parsed.row) as R });
        if (this.batch.length >= IMPORT_BATCH_SIZE) out.batches.push(this.seal());
      }
    }
    this.fatal = out.fatal;
    return out;
  }
}

/**
 * A row as it is staged: null fields left out, at any depth (the apply reads a missing one as null;
 * checks treat both alike). Less to copy to the main thread, and it stringifies without a replacer.
 */
function withoutNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withoutNulls);
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== null && v !== undefined) out[key] = withoutNulls(v);
  }
  return out;
}
