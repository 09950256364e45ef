// Taobao/Tmall exports through the import API (issue 15): a generated shop's order report and item
// report, GBK, import with exact counts (buyers created, masked phones kept unreachable, products
// created for unknown items), a second import updates, and malformed files of each kind are 422
// with line and column and store nothing. Also GBK and detected charsets for our own columns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';
import type { TaobaoShop } from '../../support/taobao-shop.ts';
import {
  ITEM_REPORT_HEADER,
  ORDER_REPORT_HEADER,
  SHOP_CATEGORIES,
  SHOP_PRODUCTS,
  taobaoShop,
} from '../../support/taobao-shop.ts';
import { encodeGbk } from '../../support/gbk.ts';

describe(`Taobao exports and charsets (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let shop: TaobaoShop;

  const post = async (path: string, body: Buffer | string, contentType = 'text/csv') => {
    const res = await fetch(api.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.keys.engineer}`, 'content-type': contentType },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, body: (await res.json()) as any };
  };
  const counts = async () =>
    (
      await api.db.pool.query<Record<string, number>>(
        `SELECT (SELECT count(*)::int FROM customers) AS customers, (SELECT count(*)::int FROM orders) AS orders,
                (SELECT count(*)::int FROM order_items) AS items, (SELECT count(*)::int FROM products) AS products,
                (SELECT count(*)::int FROM import_batches) AS staged`,
      )
    ).rows[0];

  beforeAll(async () => {
    api = await startTestApi({ importLimitBytes: 16 * 1024 * 1024 });
    shop = taobaoShop();
    // The shop's own catalogue (the products import is another route's; here it is set by SQL).
    for (const [i, c] of SHOP_CATEGORIES.entries())
      await api.db.pool.query('INSERT INTO categories (key, name, position) VALUES ($1, $2, $3)', [c.key, c.name, i]);
    for (const p of SHOP_PRODUCTS)
      await api.db.pool.query(
        'INSERT INTO products (sku, name, category, role, list_price, short_name) VALUES ($1, $2, $3, $4, $5, $6)',
        [p.sku, p.name, p.category, p.role, p.price, p.shortName],
      );
  }, 60_000);
  afterAll(async () => api?.close());

  it('the fixture is what it claims: ~2,000 buyers, several orders and items each, masked phones, new products', () => {
    const { facts } = shop;
    expect(facts.buyers).toBe(2000);
    expect(facts.orders).toBeGreaterThan(3000);
    expect(facts.items).toBeGreaterThan(facts.orders);
    expect(facts.maskedPhones).toBeGreaterThan(200);
    expect(facts.newProducts).toHaveLength(5);
    expect(Object.keys(facts.byStatus).sort()).toEqual([
      'closed',
      'completed',
      'created',
      'paid',
      'refunded',
      'shipped',
    ]);
    expect(facts.elevenElevenBuyers).toHaveLength(400);
    expect(facts.returners).toHaveLength(200);
    // GBK: two bytes a Chinese character, and not valid UTF-8.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(shop.orderReport)).toThrow();
  });

  it('imports the order report (charset detected) and the item report (charset=gbk) with exact counts', async () => {
    const { facts } = shop;
    const orders = await post('/api/imports/orders', shop.orderReport);
    expect(orders.status, JSON.stringify(orders.body)).toBe(200);
    expect(orders.body).toMatchObject({
      kind: 'orders',
      format: 'taobao',
      charset: 'gb18030',
      state: 'succeeded',
      rowsRead: facts.orders,
      rowsFailed: 0,
      inserted: facts.orders,
      updated: 0,
      customersCreated: facts.buyers,
      unreachablePhones: facts.maskedPhones,
      productsCreated: 0,
    });
    // The outcome as stored: the same counts, format and charset.
    const stored = await api.call('GET', `/api/imports/${orders.body.id}`, { role: 'engineer' });
    expect(stored.body).toMatchObject({
      format: 'taobao',
      charset: 'gb18030',
      inserted: facts.orders,
      customersCreated: facts.buyers,
      unreachablePhones: facts.maskedPhones,
      newProducts: [],
    });
    const items = await post('/api/imports/order-items', shop.itemReport, 'text/csv; charset=gbk');
    expect(items.status, JSON.stringify(items.body)).toBe(200);
    expect(items.body).toMatchObject({
      kind: 'order-items',
      format: 'taobao',
      charset: 'gb18030',
      rowsRead: facts.items,
      inserted: facts.items,
      updated: 0,
      productsCreated: facts.newProducts.length,
    });
    expect(items.body.newProducts.map((p: { sku: string }) => p.sku)).toEqual(
      facts.newProducts.map((c) => (c.startsWith('title ') ? expect.stringMatching(/^title:[0-9a-f]{32}$/) : c)),
    );
    expect(await counts()).toEqual({
      customers: facts.buyers,
      orders: facts.orders,
      items: facts.items,
      products: SHOP_PRODUCTS.length + facts.newProducts.length,
      staged: 0,
    });

    const { rows: statuses } = await api.db.pool.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM orders WHERE channel = 'taobao' GROUP BY status ORDER BY status`,
    );
    expect(Object.fromEntries(statuses.map((s) => [s.status, s.n]))).toEqual(facts.byStatus);

    // Masked phones: kept unreachable, never a phone SMS would use.
    const { rows: phones } = await api.db.pool.query<{ kind: string | null; n: number; reachable: number }>(
      `SELECT phone_kind AS kind, count(*)::int AS n, count(phone)::int AS reachable FROM customers GROUP BY 1 ORDER BY 1`,
    );
    const noPhone = shop.buyers.filter((b) => b.phone === '').length;
    expect(phones).toEqual([
      { kind: 'masked', n: facts.maskedPhones, reachable: 0 },
      {
        kind: 'mobile',
        n: facts.buyers - facts.maskedPhones - noPhone,
        reachable: facts.buyers - facts.maskedPhones - noPhone,
      },
      { kind: null, n: noPhone, reachable: 0 },
    ]);

    // One buyer in detail: address split, Beijing times, tracking, items with product and category.
    const b = shop.buyers[10 - 1];
    const o = b.orders.find((x) => x.status === '交易成功') ?? b.orders[0];
    const { rows: detail } = await api.db.pool.query(
      `SELECT c.nickname, c.phone, c.unreachable_phone, c.province, c.city, o.status, o.amount::text, o.created_at, o.paid_at,
              o.carrier, o.tracking_no, o.item_count, o.province AS order_province, o.city AS order_city
       FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.external_id = $1`,
      [o.id],
    );
    expect(detail[0]).toMatchObject({
      nickname: b.nick,
      phone: b.phone.includes('*') || b.phone === '' ? null : `+86${b.phone}`,
      province: o.province.replace(/省$|壮族自治区$/, ''),
      city: o.city.replace(/市$/, ''),
      order_province: o.province.replace(/省$|壮族自治区$/, ''),
      amount: o.amount,
      created_at: new Date(`${o.createdAt.replace(' ', 'T')}+08:00`),
      item_count: o.items.length,
      tracking_no: o.status === '交易成功' ? `SF${o.id}` : null,
      carrier: o.status === '交易成功' ? '顺丰速运' : null,
    });
    const { rows: lines } = await api.db.pool.query(
      `SELECT i.line_no, i.title, i.quantity, i.unit_price::text, i.amount::text, i.category, p.sku
       FROM order_items i JOIN orders o ON o.id = i.order_id LEFT JOIN products p ON p.id = i.product_id
       WHERE o.external_id = $1 ORDER BY i.line_no`,
      [o.id],
    );
    expect(lines).toEqual(
      o.items.map((i, k) => ({
        line_no: k + 1,
        title: i.title,
        quantity: i.quantity,
        unit_price: i.price,
        amount: (Number(i.price) * i.quantity).toFixed(2),
        category: SHOP_PRODUCTS.find((p) => p.sku === i.code)?.category ?? 'uncategorised',
        sku: i.code || expect.stringMatching(/^title:/),
      })),
    );
    // Every item has a product: {item} resolves on imported data.
    const { rows: orphans } = await api.db.pool.query('SELECT 1 FROM order_items WHERE product_id IS NULL');
    expect(orphans).toHaveLength(0);
    // The 11.11 buyers of the fixture: a paid order of 299 or more that day (Beijing time).
    const { rows: eleven } = await api.db.pool.query<{ nickname: string }>(
      `SELECT DISTINCT c.nickname FROM orders o JOIN customers c ON c.id = o.customer_id
       WHERE o.paid_at >= '2026-11-11T00:00:00+08:00' AND o.paid_at < '2026-11-12T00:00:00+08:00' AND o.amount >= 299
       ORDER BY c.nickname`,
    );
    expect(eleven.map((r) => r.nickname)).toEqual([...facts.elevenElevenBuyers].sort());
  });

  it('a second import of the same files updates instead of inserting', async () => {
    const { facts } = shop;
    const before = await counts();
    const orders = await post('/api/imports/orders', shop.orderReport, 'text/csv; charset=GB18030');
    expect(orders.body).toMatchObject({ inserted: 0, updated: facts.orders, customersCreated: 0 });
    const items = await post('/api/imports/order-items', shop.itemReport);
    expect(items.body).toMatchObject({ inserted: 0, updated: facts.items, productsCreated: 0, newProducts: [] });
    expect(await counts()).toEqual(before);
  });

  /** A small order report: the header and rows of cells, one of which a case breaks. */
  const report = (header: string[], rows: string[][]) =>
    encodeGbk([header, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n');
  const orderRow = (id: string, over: Record<string, string> = {}) =>
    ORDER_REPORT_HEADER.map(
      (h) =>
        over[h.trim()] ??
        {
          订单编号: id,
          买家会员名: 'tb_new_buyer',
          买家实际支付金额: '99.00',
          订单状态: '交易成功',
          收货地址: '浙江省 杭州市 西湖区 文三路1号',
          联系手机: '13912345678',
          订单创建时间: '2026-12-01 10:00:00',
          订单付款时间: '2026-12-01 10:01:00',
        }[h.trim()] ??
        '',
    );

  it.each([
    {
      name: 'bytes neither UTF-8 nor GBK (Latin-1)',
      body: () => {
        const [before, after] = orderRow('9002', { 买家会员名: '\u0000' }).join(',').split('\u0000');
        const latin1 = Buffer.from('Jos\u00e9', 'latin1');
        return Buffer.concat([
          report(ORDER_REPORT_HEADER, [orderRow('9001')]),
          encodeGbk(before),
          latin1,
          encodeGbk(`${after}\r\n`),
        ]);
      },
      error: { line: 3, column: '买家会员名', message: expect.stringMatching(/not GBK\/GB18030 text/) },
    },
    {
      name: 'a missing required column',
      body: () =>
        report(
          ORDER_REPORT_HEADER.filter((h) => h !== '订单状态'),
          [orderRow('9001').filter((_, i) => ORDER_REPORT_HEADER[i] !== '订单状态')],
        ),
      error: { line: 1, column: '订单状态', message: 'a required column is missing' },
    },
    {
      name: 'broken quoting',
      body: () => report(ORDER_REPORT_HEADER, [orderRow('9001'), orderRow('9002', { 买家留言: '"快点"发货' })]),
      error: { line: 3, column: null, message: expect.stringMatching(/text after a closing quote/) },
    },
    {
      name: 'a bad phone',
      body: () => report(ORDER_REPORT_HEADER, [orderRow('9001'), orderRow('9002', { 联系手机: '1380013800' })]),
      error: { line: 3, column: '联系手机', message: expect.stringMatching(/expected a mobile number/) },
    },
    {
      name: 'an unknown status',
      body: () => report(ORDER_REPORT_HEADER, [orderRow('9001', { 订单状态: '交易异常' })]),
      error: { line: 2, column: '订单状态', message: expect.stringMatching(/expected a Taobao order status/) },
    },
  ])('an order report with $name is 422 with line and column, nothing stored', async ({ body, error }) => {
    const before = await counts();
    const res = await post('/api/imports/orders', body());
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details.errors).toEqual([error]);
    expect(JSON.stringify(res.body)).not.toContain('1380013800');
    expect(await counts()).toEqual(before);
  });

  it("a buyer's province and city are their latest order's, whatever order the rows and files come in", async () => {
    const later = orderRow('8002', {
      买家会员名: 'tb_mover',
      收货地址: '四川省 成都市 武侯区 1号',
      订单创建时间: '2026-12-02 10:00:00',
      订单付款时间: '2026-12-02 10:01:00',
    });
    const earlier = orderRow('8001', {
      买家会员名: 'tb_mover',
      收货地址: '江苏省 南京市 鼓楼区 2号',
      订单创建时间: '2026-12-01 10:00:00',
      订单付款时间: '2026-12-01 10:01:00',
    });
    const where = async () =>
      (await api.db.pool.query(`SELECT province, city FROM customers WHERE external_id = 'tb_mover'`)).rows[0];
    const first = await post('/api/imports/orders', report(ORDER_REPORT_HEADER, [later, earlier]));
    expect(first.status, api.logs.slice(-5).join('\n')).toBe(200);
    expect(await where()).toEqual({ province: '四川', city: '成都' });
    // The older order again, alone: the later one on record still decides.
    expect((await post('/api/imports/orders', report(ORDER_REPORT_HEADER, [earlier]))).body).toMatchObject({
      updated: 1,
    });
    expect(await where()).toEqual({ province: '四川', city: '成都' });
    const { rows } = await api.db.pool.query(
      `SELECT external_id, province, city FROM orders WHERE external_id IN ('8001', '8002') ORDER BY external_id`,
    );
    expect(rows).toEqual([
      { external_id: '8001', province: '江苏', city: '南京' },
      { external_id: '8002', province: '四川', city: '成都' },
    ]);
  });

  const itemRow = (cells: Record<string, string>) => ITEM_REPORT_HEADER.map((h) => cells[h] ?? '');
  it.each([
    {
      name: 'an order not in the shop',
      rows: [itemRow({ 订单编号: 'nope', 标题: '口红', 价格: '89', 购买数量: '1' })],
      error: { line: 2, column: '订单编号', message: 'no order with this external id' },
    },
    {
      name: 'a bad quantity',
      rows: [itemRow({ 订单编号: '3900000000010\t', 标题: '口红', 价格: '89', 购买数量: '0' })],
      error: { line: 2, column: '购买数量', message: expect.stringMatching(/at least 1/) },
    },
    {
      name: 'an unknown status',
      rows: [itemRow({ 订单编号: '3900000000010', 标题: '口红', 价格: '89', 购买数量: '1', 订单状态: '已删除' })],
      error: { line: 2, column: '订单状态', message: expect.stringMatching(/expected a Taobao order status/) },
    },
  ])('an item report with $name is 422 with line and column, nothing stored', async ({ rows, error }) => {
    const before = await counts();
    const res = await post('/api/imports/order-items', report(ITEM_REPORT_HEADER, rows));
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details.errors).toEqual([error]);
    expect(await counts()).toEqual(before);
  });

  it('our own order-items columns: products by sku or title, line numbers, amounts from either price', async () => {
    const res = await post(
      '/api/imports/order-items',
      'order_external_id,line_no,sku,title,quantity,unit_price,amount\n' +
        '3900000000010,2,SK-001,,2,,500.00\n' +
        '3900000000010,1,,手写 新品,1,12.50,\n',
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ format: 'huitou', charset: 'utf-8', inserted: 0, updated: 2, productsCreated: 1 });
    const { rows } = await api.db.pool.query(
      `SELECT i.line_no, i.quantity, i.unit_price::text, i.amount::text, i.category, p.name, o.item_count
       FROM order_items i JOIN orders o ON o.id = i.order_id JOIN products p ON p.id = i.product_id
       WHERE o.external_id = '3900000000010' ORDER BY i.line_no`,
    );
    expect(rows).toEqual([
      {
        line_no: 1,
        quantity: 1,
        unit_price: '12.50',
        amount: '12.50',
        category: 'uncategorised',
        name: '手写 新品',
        item_count: 2,
      },
      {
        line_no: 2,
        quantity: 2,
        unit_price: '250.00',
        amount: '500.00',
        category: 'skincare',
        name: SHOP_PRODUCTS[0].name,
        item_count: 2,
      },
    ]);
  });

  it('our own customers columns in GBK, declared or detected; a GBK file declared UTF-8 names line and column', async () => {
    const file = encodeGbk('external_id,nickname,province\r\ngbk-1,小红,浙江\r\ngbk-2,李雷,广东\r\n');
    const detected = await post('/api/imports/customers', file);
    expect(detected.body).toMatchObject({ state: 'succeeded', charset: 'gb18030', inserted: 2 });
    const declared = await post('/api/imports/customers', file, 'text/csv; charset=gbk');
    expect(declared.body).toMatchObject({ state: 'succeeded', charset: 'gb18030', updated: 2 });
    const { rows } = await api.db.pool.query(
      `SELECT nickname, province FROM customers WHERE external_id LIKE 'gbk-%' ORDER BY external_id`,
    );
    expect(rows).toEqual([
      { nickname: '小红', province: '浙江' },
      { nickname: '李雷', province: '广东' },
    ]);
    const wrong = await post('/api/imports/customers', file, 'text/csv; charset=utf-8');
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.details.errors).toEqual([
      ...[2, 3].flatMap((line) =>
        ['nickname', 'province'].map((column) => ({ line, column, message: expect.stringMatching(/not UTF-8 text/) })),
      ),
    ]);
    const latin = await post('/api/imports/customers', file, 'text/csv; charset=latin1');
    expect(latin.status).toBe(415);
    expect(latin.body.error).toMatchObject({ code: 'unsupported_charset', message: expect.stringContaining('latin1') });
  });
});
