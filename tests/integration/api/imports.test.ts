// CSV imports of customers and orders through the API: streamed, all or nothing, upserts by
// external id, per-row error reports, live progress, and bad input answered with structured 4xx.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { auditActions, startTestApi, until } from './helpers.ts';
import { INTERRUPTED_MESSAGE, failInterruptedImports } from '../../../engine/src/imports/lease.ts';

const LIMIT_BYTES = 4 * 1024 * 1024;

async function count(api: TestApi, table: string): Promise<number> {
  return (await api.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
}

describe(`CSV imports (${describeEngine('configured')})`, () => {
  let api: TestApi;
  const csv = (
    path: string,
    body: string,
    role: 'engineer' | 'marketer' | 'admin' = 'engineer',
    contentType = 'text/csv',
  ) => api.call('POST', path, { role, raw: body, headers: { 'content-type': contentType } });

  /** Posts a body produced chunk by chunk (a streaming client). */
  const stream = (path: string, chunks: AsyncIterable<string>) =>
    fetch(api.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.keys.engineer}`, 'content-type': 'text/csv' },
      body: Readable.toWeb(
        Readable.from(
          (async function* () {
            for await (const c of chunks) yield Buffer.from(c);
          })(),
        ),
      ),
      duplex: 'half',
    } as RequestInit);

  beforeAll(async () => {
    api = await startTestApi({ importLimitBytes: LIMIT_BYTES });
  });
  afterAll(async () => api?.close());

  it('imports customers: BOM, CRLF, quoted commas, quotes and line breaks; phones normalised; audited', async () => {
    const file =
      '\uFEFFexternal_id,nickname,name,gender,phone,tags,birthday\r\n' +
      'tb-1,"Li, Lei","He said ""hi""",male,13800138000,vip;skin_dry,1990-02-28\r\n' +
      'tb-2,"two\r\nlines",,female,+8613900139000,,\r\n' +
      'tb-3,小红,,,,,\r\n';
    const res = await csv('/api/imports/customers', file);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      kind: 'customers',
      state: 'succeeded',
      rowsRead: 3,
      rowsFailed: 0,
      inserted: 3,
      updated: 0,
      errorCount: 0,
      errors: [],
      finishedAt: expect.any(String),
    });
    const { rows } = await api.db.pool.query(
      'SELECT external_id, nickname, name, gender, phone, tags, birthday::text FROM customers ORDER BY external_id',
    );
    expect(rows).toEqual([
      {
        external_id: 'tb-1',
        nickname: 'Li, Lei',
        name: 'He said "hi"',
        gender: 'male',
        phone: '+8613800138000',
        tags: ['vip', 'skin_dry'],
        birthday: '1990-02-28',
      },
      {
        external_id: 'tb-2',
        nickname: 'two\r\nlines',
        name: null,
        gender: 'female',
        phone: '+8613900139000',
        tags: [],
        birthday: null,
      },
      { external_id: 'tb-3', nickname: '小红', name: null, gender: 'unknown', phone: null, tags: [], birthday: null },
    ]);
    const detail = await api.call('GET', `/api/imports/${res.body.id}`, { role: 'engineer' });
    expect(detail.body).toMatchObject({ id: res.body.id, state: 'succeeded', inserted: 3 });
    expect(await auditActions(api, res.body.id)).toEqual(['import.customers']);
    expect(api.logs.join('\n')).not.toContain('13800138000');
  });

  it('a re-import updates by external id (only the columns in the file) and inserts the new ones', async () => {
    const res = await csv(
      '/api/imports/customers',
      'external_id,nickname\ntb-1,Lei Li\ntb-4,new one\ntb-1,Lei Li again\n',
    );
    expect(res.body).toMatchObject({ state: 'succeeded', rowsRead: 3, inserted: 1, updated: 1 });
    const { rows } = await api.db.pool.query(`SELECT nickname, phone, tags FROM customers WHERE external_id = 'tb-1'`);
    // The later row wins; columns the file leaves out keep their values.
    expect(rows[0]).toEqual({ nickname: 'Lei Li again', phone: '+8613800138000', tags: ['vip', 'skin_dry'] });
    expect(await count(api, 'customers')).toBe(4);
  });

  it('imports orders with items for known customers, and a re-import replaces the items', async () => {
    const file =
      'external_id,customer_external_id,status,amount,created_at,paid_at,items\n' +
      'o-1,tb-1,paid,299.00,2026-11-11T00:10:00+08:00,2026-11-11T00:12:00+08:00,food:2:199.00;durables:1:100\n' +
      'o-2,tb-2,created,59.5,2026-11-11T09:00:00Z,,\n';
    const res = await csv('/api/imports/orders', file);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ kind: 'orders', state: 'succeeded', rowsRead: 2, inserted: 2, updated: 0 });
    const { rows } = await api.db.pool.query(
      `SELECT o.external_id, c.external_id AS customer, o.status, o.amount::text, o.item_count, o.paid_at, o.channel, o.discount::text
       FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.external_id`,
    );
    expect(rows).toEqual([
      {
        external_id: 'o-1',
        customer: 'tb-1',
        status: 'paid',
        amount: '299.00',
        item_count: 2,
        paid_at: new Date('2026-11-10T16:12:00Z'),
        channel: 'own',
        discount: '0.00',
      },
      {
        external_id: 'o-2',
        customer: 'tb-2',
        status: 'created',
        amount: '59.50',
        item_count: 0,
        paid_at: null,
        channel: 'own',
        discount: '0.00',
      },
    ]);
    const items = await api.db.pool.query(
      `SELECT line_no, category, quantity, unit_price::text, i.amount::text FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.external_id = 'o-1' ORDER BY line_no`,
    );
    expect(items.rows).toEqual([
      { line_no: 1, category: 'food', quantity: 2, unit_price: '99.50', amount: '199.00' },
      { line_no: 2, category: 'durables', quantity: 1, unit_price: '100.00', amount: '100.00' },
    ]);

    const again = await csv(
      '/api/imports/orders',
      'external_id,customer_external_id,status,amount,created_at,paid_at,items\no-1,tb-1,completed,299,2026-11-11T00:10:00+08:00,2026-11-11T00:12:00+08:00,kids_clothing:1:299\n',
    );
    expect(again.body).toMatchObject({ inserted: 0, updated: 1 });
    const replaced = await api.db.pool.query(
      `SELECT o.status, o.item_count, i.category FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.external_id = 'o-1'`,
    );
    expect(replaced.rows).toEqual([{ status: 'completed', item_count: 1, category: 'kids_clothing' }]);
  });

  it('broken rows: 422 naming line and column of each, nothing stored, the outcome kept', async () => {
    const before = { orders: await count(api, 'orders'), items: await count(api, 'order_items') };
    const file =
      'external_id,customer_external_id,status,amount,created_at,items\n' +
      'o-10,tb-1,created,12,2026-11-11T00:00:00Z,food:1:12\n' + // fine, but the file is rejected as a whole
      'o-11,tb-1,created,abc,2026-11-11T00:00:00Z,\n' + // line 3: amount not a number
      'o-12,tb-1,created,12\n' + // line 4: fields missing
      'o-13,nobody,created,12,2026-11-11T00:00:00Z,\n' + // line 5: unknown customer
      'o-14,tb-2,created,12,2026-11-31,\n' + // line 6: not a time
      '"o-15\n",tb-2,paid,12,2026-11-11T00:00:00Z,food:1:12\n' + // lines 7-8: paid without paid_at
      'o-16,tb-2,created,12,2026-11-11T00:00:00Z,toys:1:12\n'; // line 9: unknown category
    const res = await csv('/api/imports/orders', file);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      status: 422,
      code: 'invalid_rows',
      path: ['body'],
      details: { importId: expect.any(String), errorCount: 6 },
    });
    const errors = res.body.error.details.errors as { line: number; column: string | null; message: string }[];
    expect(errors.map((e) => [e.line, e.column])).toEqual(
      expect.arrayContaining([
        [3, 'amount'],
        [4, null],
        [5, 'customer_external_id'],
        [6, 'created_at'],
        [7, 'paid_at'],
        [9, 'items'],
      ]),
    );
    expect(errors).toHaveLength(6);
    expect(errors.find((e) => e.line === 4)?.message).toBe('expected 6 fields (as in the header), found 4');
    expect({ orders: await count(api, 'orders'), items: await count(api, 'order_items') }).toEqual(before);

    const outcome = await api.call('GET', `/api/imports/${res.body.error.details.importId}`, { role: 'admin' });
    expect(outcome.body).toMatchObject({
      state: 'rejected',
      rowsRead: 7,
      rowsFailed: 6,
      inserted: 0,
      updated: 0,
      errorCount: 6,
    });
    expect(outcome.body.errors).toEqual(errors);
    expect(await auditActions(api, outcome.body.id)).toEqual(['import.orders.rejected']);
  });

  it('reports the first 100 errors and the total count', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => `x-${i},\n`).join('');
    const res = await csv('/api/imports/customers', `external_id,nickname\n${rows}`);
    expect(res.status).toBe(422);
    expect(res.body.error.details.errorCount).toBe(150);
    expect(res.body.error.details.errors).toHaveLength(100);
    expect(res.body.error.details.errors[0]).toEqual({ line: 2, column: 'nickname', message: 'a value is required' });
  });

  it('header problems, bad phones and broken quoting are row errors too; phones never echoed', async () => {
    const header = await csv('/api/imports/customers', 'external_id,nick_name\nx,y\n');
    expect(header.status).toBe(422);
    expect(header.body.error.details.errors).toEqual([
      { line: 1, column: null, message: expect.stringContaining('field 2 of the header is not a column name') },
      { line: 1, column: 'nickname', message: 'a required column is missing' },
    ]);
    const phone = await csv(
      '/api/imports/customers',
      'external_id,nickname,phone\np-1,a,13800138000;13800138001\np-2,"b"x,1\np-3,"never closed\n',
    );
    expect(phone.status).toBe(422);
    expect(phone.body.error.details.errors).toEqual([
      { line: 2, column: 'phone', message: 'expected a mobile number or a fixed line with its area code' },
      { line: 3, column: null, message: 'text after a closing quote' },
      { line: 4, column: null, message: 'a quoted field is not closed before the end of the file' },
    ]);
    expect(phone.text).not.toContain('13800138000');
    expect(api.logs.join('\n')).not.toContain('13800138000');
    expect((await csv('/api/imports/customers', '')).body.error.details.errors[0].message).toContain(
      'the file is empty',
    );
  });

  it('SQL-injection strings are stored verbatim and harmless', async () => {
    const evil = ["x'); DROP TABLE customers; --", 'Robert"); DELETE FROM orders; --', "' OR '1'='1", '{"a",b}\\'];
    const file =
      'external_id,nickname,tags\n' +
      evil
        .map((e, i) => `"inj-${i}-${e.replace(/"/g, '""')}","${e.replace(/"/g, '""')}","${e.replace(/"/g, '""')};ok"`)
        .join('\n');
    const res = await csv('/api/imports/customers', file);
    expect(res.status, res.text).toBe(200);
    const { rows } = await api.db.pool.query(
      `SELECT nickname, tags FROM customers WHERE external_id LIKE 'inj-%' ORDER BY external_id`,
    );
    const tagsOf = (e: string) => [
      ...e
        .split(';')
        .map((t) => t.trim())
        .filter((t) => t !== ''),
      'ok',
    ];
    expect(rows).toEqual(evil.map((e) => ({ nickname: e, tags: tagsOf(e) })));
    expect(await count(api, 'orders')).toBeGreaterThan(0);
  });

  it('bad requests: 415 wrong type or charset, 413 oversize, 409 a used import id, 400 a malformed one, 403 a marketer, 404 unknown', async () => {
    const json = await csv('/api/imports/customers', '{"a":1}', 'engineer', 'application/json');
    expect(json.status).toBe(415);
    expect(json.body.error).toMatchObject({ code: 'unsupported_media_type', path: ['headers', 'content-type'] });
    expect(
      (await csv('/api/imports/customers', 'external_id,nickname\n', 'engineer', 'text/csv; charset=latin1')).status,
    ).toBe(415);
    expect((await csv('/api/imports/customers', 'external_id,nickname\n', 'marketer')).status).toBe(403);

    const big = 'external_id,nickname\n' + 'a,b\n'.repeat(LIMIT_BYTES / 4 + 10);
    const before = await count(api, 'customers');
    const oversize = await csv('/api/imports/customers', big);
    expect(oversize.status).toBe(413);
    expect(oversize.body.error).toMatchObject({ code: 'body_too_large', path: ['body'] });
    // Streamed without a declared length: refused once the limit is passed.
    const streamed = await stream(
      '/api/imports/customers',
      (async function* () {
        yield 'external_id,nickname\n';
        for (let i = 0; i < 30; i++)
          yield Array.from({ length: 1000 }, (_, j) => `big-${i}-${j},${'长'.repeat(60)}\n`).join('');
      })(),
    );
    expect(streamed.status).toBe(413);
    expect(await count(api, 'customers')).toBe(before);

    const id = randomUUID();
    expect((await csv(`/api/imports/customers?importId=${id}`, 'external_id,nickname\nid-1,a\n')).status).toBe(200);
    const reused = await csv(`/api/imports/customers?importId=${id}`, 'external_id,nickname\nid-2,a\n');
    expect(reused.status).toBe(409);
    expect(reused.body.error.path).toEqual(['query', 'importId']);
    const malformed = await csv('/api/imports/customers?importId=1%27%20OR%201=1', 'external_id,nickname\n');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.path).toEqual(['query', 'importId']);
    expect((await api.call('GET', `/api/imports/${randomUUID()}`, { role: 'engineer' })).status).toBe(404);
    expect((await api.call('GET', "/api/imports/x' OR 1=1", { role: 'engineer' })).status).toBe(404);
  });

  // Staged in short statements while it streams, so the key check and the poll get the database,
  // on PGlite too (docs/data.md § PGlite).
  it('progress is readable while a 50,000-row file streams', async () => {
    const id = randomUUID();
    const rows = (from: number, n: number) =>
      Array.from(
        { length: n },
        (_, i) => `bulk-${from + i},buyer ${from + i},+86138${String(from + i).padStart(8, '0')}\n`,
      ).join('');
    let release: () => void = () => {};
    const halfway = new Promise<void>((resolve) => (release = resolve));
    const upload = stream(
      `/api/imports/customers?importId=${id}`,
      (async function* () {
        yield 'external_id,nickname,phone\n';
        for (let k = 0; k < 25; k++) yield rows(k * 1000, 1000);
        await halfway; // the client holds the rest until progress has been seen
        for (let k = 25; k < 50; k++) yield rows(k * 1000, 1000);
      })(),
    );

    let seen: { state: string; rowsRead: number; finishedAt: string | null } | undefined;
    for (let i = 0; i < 600 && seen?.rowsRead !== 25_000; i++) {
      const res = await api.call('GET', `/api/imports/${id}`, { role: 'engineer' });
      if (res.status === 200) seen = res.body;
      if (seen?.rowsRead !== 25_000) await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toMatchObject({ state: 'running', rowsRead: 25_000, finishedAt: null });
    // Mid-upload the database is free: another request answers at once, the rows read so far are
    // staged, and none is applied yet.
    const started = Date.now();
    expect((await api.call('GET', '/api/journeys', { role: 'viewer' })).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    // The 25th batch's INSERT may still be on its way when the poll sees the 25,000th row.
    await until('25 batches staged', async () => {
      const res = await api.db.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM import_batches WHERE import_id = $1',
        [id],
      );
      return res.rows[0].n === 25;
    });
    expect(
      (await api.db.pool.query(`SELECT count(*)::int AS n FROM customers WHERE external_id LIKE 'bulk-%'`)).rows[0].n,
    ).toBe(0);
    release();
    const done = await upload;
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ id, state: 'succeeded', rowsRead: 50_000, inserted: 50_000 });
    expect(
      (await api.db.pool.query(`SELECT count(*)::int AS n FROM customers WHERE external_id LIKE 'bulk-%'`)).rows[0].n,
    ).toBe(50_000);
    expect(api.logs.join('\n')).not.toMatch(/\+86138\d{8}/);
    expect((await api.db.pool.query('SELECT count(*)::int AS n FROM import_batches')).rows[0].n).toBe(0);
  });

  it('row errors never repeat the cell, whatever the rule', async () => {
    const res = await csv(
      '/api/imports/customers',
      'external_id,nickname,email,phone,gender\n' +
        'e-1,a,not-an-email-13955556666,,\n' +
        `e-2,${'x'.repeat(201)},,,\n` +
        'e-3,c,,139-5555-66667777777777,\n' +
        'e-4,d,,,secret-gender-13955556666\n',
    );
    expect(res.status).toBe(422);
    expect(res.body.error.details.errors.map((e: { line: number; column: string }) => [e.line, e.column])).toEqual([
      [2, 'email'],
      [3, 'nickname'],
      [4, 'phone'],
      [5, 'gender'],
    ]);
    const stored = await api.call('GET', `/api/imports/${res.body.error.details.importId}`, { role: 'engineer' });
    for (const text of [res.text, JSON.stringify(stored.body)])
      for (const cell of ['13955556666', 'xxxxxxxxxx', '66667777777777']) expect(text).not.toContain(cell);
  });

  it('NUL characters in a cell or the header: a row error naming line and column, nothing stored', async () => {
    const before = await count(api, 'customers');
    const res = await csv(
      '/api/imports/customers',
      'external_id,nickname,name\nn-1,ok,\nn-2,bad\u0000nick,\nn-3,x,y\u0000\n',
    );
    expect(res.status).toBe(422);
    expect(res.body.error.details.errors).toEqual([
      { line: 3, column: 'nickname', message: 'contains a NUL character (U+0000), which text cannot hold' },
      { line: 4, column: 'name', message: 'contains a NUL character (U+0000), which text cannot hold' },
    ]);
    const header = await csv('/api/imports/customers', 'external_id,nick\u0000name\nn-4,a\n');
    expect(header.status).toBe(422);
    expect(header.body.error.details.errors[0]).toMatchObject({ line: 1, column: null });
    expect(await count(api, 'customers')).toBe(before);
  });

  it('a file without a header: the 422 and the stored errors name field positions, never the cells', async () => {
    const res = await csv(
      '/api/imports/customers',
      'zq-1,Lin,13911112222,lin.secret@example.com\nzq-2,Wu,13933334444,wu@example.com\n',
    );
    expect(res.status).toBe(422);
    const errors = res.body.error.details.errors as { line: number; column: string | null; message: string }[];
    expect(errors).toEqual([
      ...[1, 2, 3, 4].map((field) => ({
        line: 1,
        column: null,
        message: expect.stringContaining(`field ${field} of the header is not a column name`),
      })),
      { line: 1, column: 'external_id', message: 'a required column is missing' },
      { line: 1, column: 'nickname', message: 'a required column is missing' },
    ]);
    const stored = await api.call('GET', `/api/imports/${res.body.error.details.importId}`, { role: 'engineer' });
    for (const text of [res.text, JSON.stringify(stored.body), api.logs.join('\n')])
      // zq-1, not c-1: a random import id may contain 'c-1' (…a72c-118c…).
      for (const cell of ['13911112222', 'lin.secret', 'zq-1', 'Lin']) expect(text).not.toContain(cell);
  });
});

describe(`imports a crash or an idle client interrupted (${describeEngine('configured')})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ importIdleMs: 1_000 });
  });
  afterAll(async () => api?.close());

  /** An import row as a process that died mid-upload left it: running, a batch staged. */
  async function leftRunning(heartbeatAgoMs: number): Promise<string> {
    const id = randomUUID();
    await api.db.pool.query(
      `INSERT INTO imports (id, kind, state, actor, owner, heartbeat_at, rows_read)
       VALUES ($1, 'customers', 'running', 'key:engineer', 'a-dead-process', now() - make_interval(secs => $2::double precision / 1000), 1000)`,
      [id, heartbeatAgoMs],
    );
    await api.db.pool.query(
      `INSERT INTO import_batches (import_id, batch_no, parsed) VALUES ($1, 0, '[{"line":2,"row":{"external_id":"z","nickname":"z"}}]')`,
      [id],
    );
    return id;
  }

  it('on start, a running import is marked failed with the reason and its staged rows dropped; idempotent', async () => {
    const id = await leftRunning(1_000);
    expect(await failInterruptedImports(api.db.pool, { exclusive: true })).toEqual([id]);
    const res = await api.call('GET', `/api/imports/${id}`, { role: 'engineer' });
    expect(res.body).toMatchObject({ state: 'failed', message: INTERRUPTED_MESSAGE, finishedAt: expect.any(String) });
    expect((await api.db.pool.query('SELECT 1 FROM import_batches WHERE import_id = $1', [id])).rowCount).toBe(0);
    expect(await failInterruptedImports(api.db.pool, { exclusive: true })).toEqual([]);
    expect((await api.call('GET', `/api/imports/${id}`, { role: 'engineer' })).body.state).toBe('failed');
  });

  it('engines sharing a Postgres: only an import whose lease ran out is failed, a live one is left alone', async () => {
    const live = await leftRunning(2_000);
    const dead = await leftRunning(60_000);
    expect(await failInterruptedImports(api.db.pool, { exclusive: false, leaseMs: 30_000 })).toEqual([dead]);
    expect((await api.call('GET', `/api/imports/${live}`, { role: 'engineer' })).body.state).toBe('running');
    expect((await api.db.pool.query('SELECT 1 FROM import_batches WHERE import_id = $1', [live])).rowCount).toBe(1);
    await api.db.pool.query(`UPDATE imports SET state = 'failed' WHERE id = $1`, [live]);
  });

  // Committing holds the import's row locked, so its heartbeat stalls; the lock shows the owner alive.
  it.skipIf(describeEngine('configured') === 'pglite')(
    'an import being applied (its row locked, its heartbeat stale) is skipped by the sweep, not waited for',
    async () => {
      const applying = await leftRunning(60_000);
      const owner = await api.db.pool.connect();
      try {
        await owner.query('BEGIN');
        await owner.query('SELECT 1 FROM imports WHERE id = $1 FOR UPDATE', [applying]);
        expect(await failInterruptedImports(api.db.pool, { exclusive: false, leaseMs: 30_000 })).not.toContain(
          applying,
        );
      } finally {
        await owner.query('ROLLBACK');
        owner.release();
      }
      // Released without its outcome (the owner died mid-apply): the next sweep fails it.
      expect(await failInterruptedImports(api.db.pool, { exclusive: false, leaseMs: 30_000 })).toEqual([applying]);
    },
  );

  it('an upload that stops sending is given up (408), marked failed, nothing applied or staged', async () => {
    const id = randomUUID();
    const controller = new AbortController();
    let stalled: () => void = () => {};
    const never = new Promise<void>((resolve) => (stalled = resolve));
    const upload = fetch(`${api.url}/api/imports/customers?importId=${id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.keys.engineer}`, 'content-type': 'text/csv' },
      body: Readable.toWeb(
        Readable.from(
          (async function* () {
            yield Buffer.from('external_id,nickname\nidle-1,a\nidle-2,b\n');
            await never; // the client goes quiet
          })(),
        ),
      ),
      duplex: 'half',
      signal: controller.signal,
    } as RequestInit);
    const outcome = await until('the idle import to end', async () => {
      const res = await api.call('GET', `/api/imports/${id}`, { role: 'engineer' });
      return res.status === 200 && res.body.state !== 'running' && res.body;
    });
    expect(outcome).toMatchObject({
      state: 'failed',
      rowsRead: 2,
      inserted: 0,
      message: 'the upload sent nothing for 1 s and was given up; nothing was imported',
    });
    const answer = await upload;
    expect(answer.status).toBe(408);
    expect((await answer.json()).error).toMatchObject({ status: 408, code: 'upload_idle', path: ['body'] });
    controller.abort();
    stalled();
    expect(await count(api, 'customers')).toBe(0);
    expect((await api.db.pool.query('SELECT 1 FROM import_batches WHERE import_id = $1', [id])).rowCount).toBe(0);
  });
});
