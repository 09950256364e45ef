// Data in, in bulk: customers, orders, order items, products and reviews from CSV files (ours or a
// marketplace's export), streamed, all or nothing, with progress.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ImportHistory, ImportHistoryQuery, ImportOut, ImportQuery } from '@huitou/schemas/http';
import { iso } from '../../db/transaction.ts';
import { ApiError, conflict, notFound } from '../errors.ts';
import type { ImportKind } from '../../imports/import-kind.ts';
import { IMPORT_KINDS } from '../../imports/kinds.ts';
import type { ImportProgress } from '../../imports/progress.ts';
import { emptySummary, liveProgress } from '../../imports/progress.ts';
import { declaredCharset } from '../../imports/charset.ts';
import { DEFAULT_IMPORT_LIMIT_BYTES, IMPORT_BATCH_SIZE, runImport, tooLarge } from '../../imports/run-import.ts';
import { keyNameJoin, listPage } from '../list-page.ts';
import { IdParams, isUuid, route } from '../route.ts';
import type { Route } from '../route.ts';

const out = ({ summary, ...p }: ImportProgress): z.input<typeof ImportOut> => ({
  ...p,
  ...summary,
  startedAt: iso(p.startedAt) as string,
  finishedAt: iso(p.finishedAt),
});

interface ImportRow {
  id: string;
  kind: ImportProgress['kind'];
  format: ImportProgress['format'];
  charset: ImportProgress['charset'];
  state: ImportProgress['state'];
  rows_read: number;
  rows_failed: number;
  inserted: number;
  updated: number;
  summary: Partial<ImportProgress['summary']>;
  error_count: number;
  errors: ImportProgress['errors'];
  message: string | null;
  started_at: Date;
  finished_at: Date | null;
  file_name: string | null;
  actor: string;
}

/** The history's rows carry the uploading key's name as well. */
type HistoryRow = ImportRow & { actor_name: string | null };

const fromRow = (r: ImportRow): ImportProgress => ({
  id: r.id,
  kind: r.kind,
  format: r.format,
  charset: r.charset,
  state: r.state,
  rowsRead: r.rows_read,
  rowsFailed: r.rows_failed,
  inserted: r.inserted,
  updated: r.updated,
  summary: { ...emptySummary(), ...r.summary },
  errorCount: r.error_count,
  errors: r.errors,
  message: r.message,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

function importRoute<R>(kind: ImportKind<R>): Route {
  return route({
    method: 'post',
    path: `/api/imports/${kind.name}`,
    summary:
      `Import ${kind.name} from a CSV body (text/csv; UTF-8, GBK or GB18030, declared by charset or detected; header row; columns ${kind.columns.join(', ')}; required ${kind.required.join(', ')}` +
      `${kind.foreign ? '; or the Taobao/Tmall export as it comes, told by its header' : ''}). ` +
      `Staged in batches of ${IMPORT_BATCH_SIZE} while it streams, then upserted by external_id in one transaction: one broken row and nothing is stored (422 with the row report); an upload idle for 30 s is given up (408)`,
    tag: 'data in',
    permission: 'data.import',
    query: ImportQuery,
    response: ImportOut,
    handler: async ({ deps, query, principal, req }) => {
      if (!req.is('text/csv'))
        throw new ApiError(415, 'unsupported_media_type', 'send the file as text/csv', ['headers', 'content-type']);
      const charset = declaredCharset(req.get('content-type'));
      const limitBytes = deps.importLimitBytes ?? DEFAULT_IMPORT_LIMIT_BYTES;
      // A declared size over the limit is refused before a byte is read; an undeclared one while streaming.
      if (Number(req.get('content-length') ?? 0) > limitBytes) {
        req.resume();
        throw tooLarge(limitBytes);
      }
      const id = query.importId ?? randomUUID();
      if (liveProgress(id) || (await deps.pool.query('SELECT 1 FROM imports WHERE id = $1', [id])).rowCount) {
        req.resume();
        throw conflict('an import with this id exists', ['query', 'importId']);
      }
      return out(
        await runImport(deps, principal, kind, {
          id,
          body: req,
          limitBytes,
          idleMs: deps.importIdleMs,
          charset,
          fileName: query.fileName ?? null,
          applyWhileStreaming: deps.applyImportsWhileStreaming,
        }),
      );
    },
  });
}

/** A history entry: the stored row, with this engine's live counts while the import runs. */
function historyEntry(r: HistoryRow): z.input<typeof ImportHistory>['imports'][number] {
  const { errors: _errors, newProducts: _newProducts, ...rest } = out(liveProgress(r.id) ?? fromRow(r));
  return { ...rest, fileName: r.file_name, actor: r.actor, actorName: r.actor_name };
}

export const importRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/imports',
    summary:
      'The history of uploads, newest first: kind, file name, rows read, inserted/updated, errors, state (live counts while one runs), who and when',
    tag: 'data in',
    permission: 'data.import',
    query: ImportHistoryQuery,
    response: ImportHistory,
    handler: async ({ deps, query }) => {
      const { rows, total } = await listPage<HistoryRow>(deps.pool, {
        columns: 'i.*, k.name AS actor_name',
        from: `FROM imports i ${keyNameJoin('i.actor')} WHERE $1::text IS NULL OR i.kind = $1`,
        order: 'i.started_at DESC, i.id',
        args: [query.kind ?? null],
        limit: query.limit,
        offset: query.offset,
      });
      return { imports: rows.map(historyEntry), total };
    },
  }),
  importRoute(IMPORT_KINDS.customers),
  importRoute(IMPORT_KINDS.orders),
  importRoute(IMPORT_KINDS.reviews),
  importRoute(IMPORT_KINDS.products),
  importRoute(IMPORT_KINDS['order-items']),
  importRoute(IMPORT_KINDS['coupon-codes']),
  route({
    method: 'get',
    path: '/api/imports/:id',
    summary: 'An import: live progress while it runs (rows read, rows failed, errors so far), then its outcome',
    tag: 'data in',
    permission: 'data.import',
    params: IdParams,
    response: ImportOut,
    handler: async ({ deps, params }) => {
      if (!isUuid(params.id)) throw notFound('import', ['params', 'id']);
      const running = liveProgress(params.id);
      if (running) return out(running);
      const { rows } = await deps.pool.query<ImportRow>('SELECT * FROM imports WHERE id = $1', [params.id]);
      if (!rows[0]) throw notFound('import', ['params', 'id']);
      return out(fromRow(rows[0]));
    },
  }),
];
