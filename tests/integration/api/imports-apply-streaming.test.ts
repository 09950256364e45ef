// On Postgres an orders import is applied range by range while the file still streams, in one
// transaction open meanwhile (run-import.ts): the apply is seen holding its locks before the
// upload ends, a complete file lands with exact counts, and a file broken or given up after ranges
// were applied stores nothing. On PGlite imports apply after the stream (imports.test.ts).
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi, until } from './helpers.ts';
import { APPLY_BATCHES } from '../../../engine/src/imports/import-kind.ts';
import { IMPORT_BATCH_SIZE } from '../../../engine/src/imports/run-import.ts';

/** More rows than one range, so at least one range is applied before the last row is read. */
const ROWS = APPLY_BATCHES * IMPORT_BATCH_SIZE + 5_000;
const HEADER = '订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间,订单付款时间\n';
const row = (i: number, status = '交易成功') =>
  `S${i},buyer-${i % 7_000},${100 + (i % 50)},${status},2026-11-11 00:00:00,2026-11-11 00:01:00\n`;
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => row(from + k)).join('');

describe.skipIf(describeEngine('configured') === 'pglite')(
  `an orders import applied while it streams (${describeEngine('configured')})`,
  () => {
    let api: TestApi;
    const counts = async () =>
      (
        await api.db.pool.query<{ orders: number; customers: number; staged: number }>(
          `SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM customers) AS customers,
                  (SELECT count(*)::int FROM import_batches) AS staged`,
        )
      ).rows[0];
    /** Backends other than ours holding the write lock an apply takes on orders. */
    const applyingBackends = async () =>
      (
        await api.db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
         WHERE c.relname = 'orders' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()`,
        )
      ).rows[0].n;
    const upload = (id: string, body: AsyncIterable<Buffer>, signal?: AbortSignal) =>
      fetch(`${api.url}/api/imports/orders?importId=${id}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.keys.engineer}`, 'content-type': 'text/csv; charset=utf-8' },
        body: Readable.toWeb(Readable.from(body)),
        duplex: 'half',
        signal,
      } as RequestInit);

    beforeAll(async () => {
      api = await startTestApi({ importIdleMs: 3_000 });
    });
    afterAll(async () => api?.close());

    it('a range is applied before the upload ends; an upload given up then stores nothing', async () => {
      const controller = new AbortController();
      let resume: () => void = () => {};
      const stalled = new Promise<void>((resolve) => (resume = resolve));
      const id = randomUUID();
      const answer = upload(
        id,
        (async function* () {
          yield Buffer.from(HEADER + lines(0, ROWS));
          await stalled; // the client goes quiet with the file unfinished
        })(),
        controller.signal,
      );
      // The first range is written by the import's transaction while the client still has to send.
      await until('the apply to hold its lock on orders mid-upload', async () => (await applyingBackends()) > 0);
      expect((await counts()).orders).toBe(0); // not committed: nobody else sees it
      const res = await answer;
      expect(res.status).toBe(408);
      controller.abort();
      resume();
      expect(await counts()).toEqual({ orders: 0, customers: 0, staged: 0 });
      expect(await applyingBackends()).toBe(0);
      const stored = await api.call('GET', `/api/imports/${id}`, { role: 'engineer' });
      expect(stored.body).toMatchObject({ state: 'failed', inserted: 0, rowsRead: ROWS });
    });

    it('a broken row after applied ranges: 422 naming it, nothing stored', async () => {
      const res = await upload(
        randomUUID(),
        (async function* () {
          yield Buffer.from(HEADER + lines(0, ROWS));
          yield Buffer.from(row(ROWS, '已发货吧'));
        })(),
      );
      const body = (await res.json()) as { error: { details: { errors: { line: number; column: string }[] } } };
      expect(res.status).toBe(422);
      expect(body.error.details.errors).toEqual([
        expect.objectContaining({ line: ROWS + 2, column: '订单状态' }), // + the header, lines from 1
      ]);
      expect(await counts()).toEqual({ orders: 0, customers: 0, staged: 0 });
    });

    it('a whole file lands with exact counts, every range once', async () => {
      const res = await upload(
        randomUUID(),
        (async function* () {
          yield Buffer.from(HEADER + lines(0, ROWS));
        })(),
      );
      const body = (await res.json()) as Record<string, unknown>;
      expect(res.status).toBe(200);
      expect(body).toMatchObject({
        state: 'succeeded',
        rowsRead: ROWS,
        inserted: ROWS,
        updated: 0,
        customersCreated: 7_000,
      });
      expect(await counts()).toEqual({ orders: ROWS, customers: 7_000, staged: 0 });
      expect(api.logs.some((l) => l.includes('ranges applied while reading'))).toBe(true);
    });
  },
);
