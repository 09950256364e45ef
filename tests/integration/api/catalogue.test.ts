// The shop's own categories and products: the catalogue API, the products import, category keys
// checked on validate/publish/preview, product roles in segments, and the 11.11 template built
// from the shop's categories.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyEdge as edge, journeyNode as node } from '@huitou/schemas';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { auditActions, startTestApi } from './helpers.ts';

const csv = (api: TestApi, path: string, body: string, role: 'engineer' | 'marketer' = 'engineer') =>
  api.call('POST', path, { role, raw: body, headers: { 'content-type': 'text/csv' } });

async function categoriesInDb(api: TestApi): Promise<Array<{ key: string; name: string }>> {
  return (await api.db.pool.query<{ key: string; name: string }>('SELECT key, name FROM categories ORDER BY key')).rows;
}

/** A journey whose split asks for a purchase in the given categories. */
const splitOn = (categories: string[]) => ({
  name: '品类测试',
  settings: { sms: { signature: '【回头小店】' } },
  nodes: [
    node('entry', 'entry.audience', { segment: { where: { kind: 'all', of: [] } } }, 0, 0),
    node(
      'split',
      'split.segment',
      {
        branches: [
          {
            key: 'yes',
            name: '买过',
            when: {
              kind: 'purchase',
              metric: 'count',
              window: { kind: 'all_time' },
              categories,
              compare: { op: 'gte', value: 1 },
            },
          },
        ],
      },
      1,
      0,
    ),
    node('yes', 'exit', {}, 2, 0),
    node('no', 'exit', {}, 2, 1),
  ],
  edges: [edge('entry', 'split'), edge('split', 'yes', 'yes'), edge('split', 'no', 'else')],
});

describe(`the catalogue (${describeEngine('configured')})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.close());

  it('lists, creates and renames categories; the key never changes', async () => {
    const list = await api.call('GET', '/api/categories', { role: 'viewer' });
    expect(list.status).toBe(200);
    expect(list.body.categories.map((c: { key: string }) => c.key)).toEqual([
      'food',
      'kids_clothing',
      'daily_goods',
      'durables',
      'uncategorised',
    ]);
    expect(list.body.categories[0]).toMatchObject({ name: '食品', position: 1, productCount: 0 });

    const made = await api.call('POST', '/api/categories', { role: 'engineer', body: { name: '孕产妈妈' } });
    expect(made.status, made.text).toBe(201);
    expect(made.body).toMatchObject({ key: expect.stringMatching(/^c_\d+$/), name: '孕产妈妈', position: 5 });
    const chosen = await api.call('POST', '/api/categories', {
      role: 'engineer',
      body: { name: '喂养用品', key: 'feeding', position: 3 },
    });
    expect(chosen.body).toMatchObject({ key: 'feeding', name: '喂养用品', position: 3 });

    const renamed = await api.call('PATCH', '/api/categories/feeding', {
      role: 'engineer',
      body: { name: '喂养洗护' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ key: 'feeding', name: '喂养洗护', position: 3 });
    expect(await auditActions(api, 'feeding')).toEqual(['category.create', 'category.update']);

    // Mistakes: structured 4xx naming the field, nothing written.
    const sameName = await api.call('POST', '/api/categories', { role: 'engineer', body: { name: '喂养洗护' } });
    expect(sameName.body.error).toMatchObject({ status: 409, code: 'category_name_taken', path: ['body', 'name'] });
    const sameKey = await api.call('POST', '/api/categories', {
      role: 'engineer',
      body: { name: '别的', key: 'food' },
    });
    expect(sameKey.body.error).toMatchObject({ status: 409, code: 'category_key_taken', path: ['body', 'key'] });
    const badKey = await api.call('POST', '/api/categories', {
      role: 'engineer',
      body: { name: '玩具', key: 'Toys!' },
    });
    expect(badKey.body.error).toMatchObject({ status: 400, path: ['body', 'key'] });
    const extra = await api.call('PATCH', '/api/categories/feeding', { role: 'engineer', body: { key: 'feed' } });
    expect(extra.body.error).toMatchObject({ status: 400, code: 'unknown_field', path: ['body', 'key'] });
    const empty = await api.call('PATCH', '/api/categories/feeding', { role: 'engineer', body: {} });
    expect(empty.status).toBe(400);
    const missing = await api.call('PATCH', '/api/categories/nope', { role: 'engineer', body: { name: 'x' } });
    expect(missing.body.error).toMatchObject({ status: 404, path: ['params', 'key'] });
    const marketer = await api.call('POST', '/api/categories', { role: 'marketer', body: { name: '不行' } });
    expect(marketer.status).toBe(403);
    expect((await categoriesInDb(api)).map((c) => c.name).sort()).toEqual(
      ['食品', '童装', '日用品', '耐用品', '未分类', '孕产妈妈', '喂养洗护'].sort(),
    );
  });

  it('imports products: upsert by sku, a category by key or name (a new name makes one), role default profit', async () => {
    const file =
      'sku,name,category,role,price,short_name\n' +
      'SKU-1,婴儿纸尿裤 L码 箱装,daily_goods,traffic,139,纸尿裤\n' +
      'SKU-2,儿童平衡车 2-6岁,玩具童车,potential,299.00,平衡车\n' +
      'SKU-3,孕妇防辐射服,孕产妈妈,,199.9,\n' +
      'SKU-4,婴儿湿巾 80抽,,edge,9.9,湿巾\n';
    const res = await csv(api, '/api/imports/products', file);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ kind: 'products', state: 'succeeded', rowsRead: 4, inserted: 4, updated: 0 });
    const cats = await categoriesInDb(api);
    const toys = cats.find((c) => c.name === '玩具童车');
    const mothers = cats.find((c) => c.name === '孕产妈妈');
    expect(toys?.key).toMatch(/^c_\d+$/);
    const { rows } = await api.db.pool.query(
      'SELECT sku, name, category, role, list_price::text AS price, short_name FROM products ORDER BY sku',
    );
    expect(rows).toEqual([
      {
        sku: 'SKU-1',
        name: '婴儿纸尿裤 L码 箱装',
        category: 'daily_goods',
        role: 'traffic',
        price: '139.00',
        short_name: '纸尿裤',
      },
      {
        sku: 'SKU-2',
        name: '儿童平衡车 2-6岁',
        category: toys?.key,
        role: 'potential',
        price: '299.00',
        short_name: '平衡车',
      },
      { sku: 'SKU-3', name: '孕妇防辐射服', category: mothers?.key, role: 'profit', price: '199.90', short_name: null },
      {
        sku: 'SKU-4',
        name: '婴儿湿巾 80抽',
        category: 'uncategorised',
        role: 'edge',
        price: '9.90',
        short_name: '湿巾',
      },
    ]);

    // A re-import without the category column keeps each product's category.
    const again = await csv(api, '/api/imports/products', 'sku,name,price\nSKU-1,婴儿纸尿裤 L码 箱装 新款,129\n');
    expect(again.body).toMatchObject({ state: 'succeeded', inserted: 0, updated: 1 });
    const one = await api.db.pool.query('SELECT name, category, role FROM products WHERE sku = $1', ['SKU-1']);
    expect(one.rows[0]).toEqual({ name: '婴儿纸尿裤 L码 箱装 新款', category: 'daily_goods', role: 'traffic' });

    const listed = await api.call('GET', '/api/categories', { role: 'viewer' });
    const count = (key: string) =>
      listed.body.categories.find((c: { key: string }) => c.key === key)?.productCount as number;
    expect([count('daily_goods'), count(toys?.key as string), count('uncategorised')]).toEqual([1, 1, 1]);
  });

  it('refuses a malformed products file with line and column, storing nothing (no new category either)', async () => {
    const before = await categoriesInDb(api);
    const file =
      'sku,name,category,role,price\n' +
      'SKU-9,新品,全新品类,traffic,19\n' +
      'SKU-10,,daily_goods,profit,10\n' +
      'SKU-11,奶瓶,daily_goods,cheap,10\n' +
      'SKU-12,奶嘴,daily_goods,profit,ten\n' +
      '"SKU-13,broken\n';
    const res = await csv(api, '/api/imports/products', file);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_rows');
    expect(res.body.error.details.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 3, column: 'name' }),
        expect.objectContaining({ line: 4, column: 'role' }),
        expect.objectContaining({ line: 5, column: 'price' }),
        expect.objectContaining({ line: 6, column: null }),
      ]),
    );
    const missing = await csv(api, '/api/imports/products', 'sku,category\nSKU-20,food\n');
    expect(missing.status).toBe(422);
    expect(missing.body.error.details.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 1, column: 'name' }),
        expect.objectContaining({ line: 1, column: 'price' }),
      ]),
    );
    expect(await categoriesInDb(api)).toEqual(before);
    const { rows } = await api.db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM products WHERE sku IN ('SKU-9', 'SKU-20')",
    );
    expect(rows[0].n).toBe(0);
    expect(await csv(api, '/api/imports/products', 'sku,name,price\nX,y,1\n', 'marketer')).toMatchObject({
      status: 403,
    });
  });

  it('lists products by category then sku, paged, filtered by category and text', async () => {
    const all = await api.call('GET', '/api/products?limit=2', { role: 'viewer' });
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(4);
    const page2 = await api.call('GET', '/api/products?limit=2&offset=2', { role: 'viewer' });
    const skus = [...all.body.products, ...page2.body.products].map((p: { sku: string; category: string }) => [
      p.category,
      p.sku,
    ]);
    expect(skus).toEqual([...skus].sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1)));
    const daily = await api.call('GET', '/api/products?category=daily_goods', { role: 'viewer' });
    expect(daily.body).toMatchObject({ total: 1, products: [{ sku: 'SKU-1', role: 'traffic', price: 129 }] });
    const text = await api.call('GET', `/api/products?q=${encodeURIComponent('湿巾')}`, { role: 'viewer' });
    expect(text.body.products.map((p: { sku: string }) => p.sku)).toEqual(['SKU-4']);
    const past = await api.call('GET', '/api/products?offset=100', { role: 'viewer' });
    expect(past.body).toEqual({ products: [], total: 4 });
    const bad = await api.call('GET', '/api/products?category=Not-A-Key', { role: 'viewer' });
    expect(bad.body.error).toMatchObject({ status: 400, path: ['query', 'category'] });
  });

  it('checks category keys against the shop on validate and publish (422 with each path)', async () => {
    const created = await api.call('POST', '/api/journeys', {
      role: 'marketer',
      body: { name: '品类测试', draft: splitOn(['food', 'shoes']) },
    });
    const id = created.body.id as string;
    const validated = await api.call('POST', `/api/journeys/${id}/validate`, { role: 'marketer' });
    expect(validated.body.ok).toBe(false);
    expect(validated.body.errors).toEqual([
      expect.objectContaining({
        code: 'CATEGORY_UNKNOWN',
        nodeId: 'split',
        path: ['nodes', 1, 'config', 'branches', 0, 'when', 'categories', 1],
      }),
    ]);
    const published = await api.call('POST', `/api/journeys/${id}/publish`, { role: 'marketer', body: {} });
    expect(published.status).toBe(422);
    expect(published.body.error.code).toBe('journey_invalid');
    expect(published.body.error.details.errors.map((e: { code: string }) => e.code)).toEqual(['CATEGORY_UNKNOWN']);
    expect((await api.db.pool.query('SELECT 1 FROM journey_versions WHERE journey_id = $1', [id])).rowCount).toBe(0);

    // Once the shop has the category, the same draft publishes.
    await api.call('POST', '/api/categories', { role: 'engineer', body: { name: '童鞋', key: 'shoes' } });
    const ok = await api.call('POST', `/api/journeys/${id}/publish`, { role: 'marketer', body: {} });
    expect(ok.status, ok.text).toBe(201);
  });

  it('previews segments by product role; an unknown category key is a 422 naming its path', async () => {
    const pool = api.db.pool;
    const { rows: customers } = await pool.query<{ id: string }>(
      `INSERT INTO customers (external_id, nickname) SELECT 'role-' || g, 'c' || g FROM generate_series(1, 4) g RETURNING id`,
    );
    const ids = customers.map((c) => Number(c.id)).sort((a, b) => a - b);
    const skuId = async (sku: string) =>
      Number((await pool.query<{ id: string }>('SELECT id FROM products WHERE sku = $1', [sku])).rows[0].id);
    const traffic = await skuId('SKU-1'); // daily_goods, traffic
    const potential = await skuId('SKU-2'); // toys, potential
    const buy = async (customer: number, product: number | null, category: string, daysAgo: number) => {
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO orders (customer_id, status, amount, item_count, created_at, paid_at)
         VALUES ($1, 'completed', 100, 1, now() - make_interval(days => $2), now() - make_interval(days => $2)) RETURNING id`,
        [customer, daysAgo],
      );
      await pool.query(
        `INSERT INTO order_items (order_id, line_no, product_id, category, quantity, unit_price, amount) VALUES ($1, 1, $2, $3, 1, 100, 100)`,
        [rows[0].id, product, category],
      );
    };
    await buy(ids[0], traffic, 'daily_goods', 10); // a traffic product, recently
    await buy(ids[1], traffic, 'daily_goods', 200); // a traffic product, long ago
    await buy(ids[2], potential, 'food', 5); // a potential product (item category differs from the product's)
    await buy(ids[3], null, 'daily_goods', 5); // an item with no product: no role
    const preview = async (where: unknown) => {
      const res = await api.call('POST', '/api/segments/preview', { role: 'marketer', body: { segment: { where } } });
      return res;
    };
    const bought = (extra: Record<string, unknown>, days = 90) => ({
      kind: 'purchase',
      metric: 'count',
      window: { kind: 'last_days', days },
      compare: { op: 'gte', value: 1 },
      ...extra,
    });
    expect((await preview(bought({ roles: ['traffic'] }))).body.count).toBe(1);
    expect((await preview(bought({ roles: ['traffic'] }, 365))).body.count).toBe(2);
    expect((await preview(bought({ roles: ['traffic', 'potential'] }))).body.count).toBe(2);
    expect((await preview(bought({ roles: ['potential'], categories: ['food'] }))).body.count).toBe(1);
    expect((await preview(bought({ roles: ['potential'], categories: ['daily_goods'] }))).body.count).toBe(0);
    expect((await preview(bought({ categories: ['daily_goods'] }))).body.count).toBe(2);

    const unknown = await preview({
      kind: 'all',
      of: [{ kind: 'not', of: bought({ categories: ['food', 'ghost'] }) }],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({
      code: 'category_unknown',
      path: ['body', 'segment', 'where', 'of', 0, 'of', 'categories', 1],
    });
    expect(unknown.body.error.message).toContain('ghost');
    const badRole = await preview(bought({ roles: ['cheap'] }));
    expect(badRole.body.error).toMatchObject({ status: 400, path: ['body', 'segment', 'where', 'roles', 0] });
  });

  it('refuses an orders file whose item names a category the shop does not have', async () => {
    await csv(api, '/api/imports/customers', 'external_id,nickname\nbuyer-1,买家\n');
    const res = await csv(
      api,
      '/api/imports/orders',
      'external_id,customer_external_id,status,amount,created_at,paid_at,items\n' +
        'o-1,buyer-1,paid,100,2026-11-11T10:00:00+08:00,2026-11-11T10:01:00+08:00,shoes:1:50;ghost:1:50\n',
    );
    expect(res.status).toBe(422);
    expect(res.body.error.details.errors).toEqual([
      { line: 2, column: 'items', message: "item 2: the category is not one of the shop's categories" },
    ]);
    expect((await api.db.pool.query("SELECT 1 FROM orders WHERE external_id = 'o-1'")).rowCount).toBe(0);
  });

  it("builds the 11.11 template's care branches from the shop's categories, largest by sales first", async () => {
    const made = await api.call('POST', '/api/templates/newBuyer1111/journeys', { role: 'marketer' });
    expect(made.status).toBe(201);
    const split = made.body.draft.nodes.find((n: { id: string }) => n.id === 'split_category');
    const branches = split.config.branches.map((b: { key: string; name: string }) => [b.key, b.name]);
    // The sales of the last year: daily_goods 300 (3 items of 100), food 100; no other category sold.
    expect(branches).toEqual([
      ['daily_goods', '日用品'],
      ['food', '食品'],
    ]);
    const gallery = await api.call('GET', '/api/templates', { role: 'viewer' });
    const graph = gallery.body.templates.find((t: { id: string }) => t.id === 'newBuyer1111').graph;
    expect(graph.nodes.find((n: { id: string }) => n.id === 'split_category').config.branches).toHaveLength(2);
    const validated = await api.call('POST', `/api/journeys/${made.body.id}/validate`, { role: 'marketer' });
    expect(validated.body).toMatchObject({ ok: true });
  });
});
