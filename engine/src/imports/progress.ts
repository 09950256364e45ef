// Live progress of the imports this engine is running, in memory, so a progress poll costs no
// query. The imports table has the row counts of the last heartbeat (what other engines see) and
// the outcome once an import ends.
import type { ImportKindName } from '@huitou/schemas/http';
import type { Charset } from './charset.ts';
import type { ImportSummary, RowError } from './import-kind.ts';

export const MAX_REPORTED_ERRORS = 100;

export type ImportState = 'running' | 'succeeded' | 'rejected' | 'failed';

export interface ImportProgress {
  id: string;
  kind: ImportKindName;
  /** Told by the header; null until it is read. */
  format: 'huitou' | 'taobao' | null;
  charset: Charset | null;
  state: ImportState;
  rowsRead: number;
  rowsFailed: number;
  inserted: number;
  updated: number;
  summary: ImportSummary;
  errorCount: number;
  /** The first MAX_REPORTED_ERRORS, in file order. */
  errors: RowError[];
  message: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

const live = new Map<string, ImportProgress>();

export function beginProgress(id: string, kind: ImportProgress['kind'], startedAt: Date): ImportProgress {
  const progress: ImportProgress = {
    id,
    kind,
    state: 'running',
    rowsRead: 0,
    rowsFailed: 0,
    format: null,
    charset: null,
    inserted: 0,
    updated: 0,
    summary: emptySummary(),
    errorCount: 0,
    errors: [],
    message: null,
    startedAt,
    finishedAt: null,
  };
  live.set(id, progress);
  return progress;
}

export const emptySummary = (): ImportSummary => ({
  customersCreated: 0,
  unreachablePhones: 0,
  productsCreated: 0,
  newProducts: [],
});

export function addErrors(progress: ImportProgress, errors: readonly RowError[]): void {
  progress.errorCount += errors.length;
  for (const e of errors) if (progress.errors.length < MAX_REPORTED_ERRORS) progress.errors.push(e);
}

export const liveProgress = (id: string): ImportProgress | undefined => live.get(id);

/** Once the outcome is stored, the table answers. */
export const endProgress = (id: string): void => void live.delete(id);
