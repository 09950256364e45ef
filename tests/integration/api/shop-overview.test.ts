// GET /api/shop/overview on five hand-made customers: every figure worked out on paper (Shanghai
// time; "now" is 2026-04-01 12:00). Purchases (paid, not refunded):
//   c1 广东深圳: 2025-12-10 food 20 · 01-05 food 50 · 02-20 durables 200
//   c2 广东广州: 01-10 10:00 kids 80 + food 20 · 01-10 20:00 daily 40 · 03-15 daily 10 (03-05 food 60 refunded)
//   c3 浙江杭州: 02-01 00:30 food 170 (still 01-31 in UTC) · 02-05 00:30 food 30
//   c4 no address: 03-31 23:00 durables 500 (01-31 90 never paid) · c5 never bought.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngine } from '../db/test-database.ts';
import { insertOrder } from '../db/fixtures.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';
import type { SegmentInput } from '@huitou/schemas';
import {
  categorySegment,
  cohortSegment,
  lifecycleSegment,
  provinceSegment,
  rfmSegment,
} from '../../../builder-ui/src/pages/overview/overview-model.ts';

const NOW = new Date('2026-04-01T12:00:00+08:00');
const at = (local: string) => new Date(`${local}+08:00`);

async function seed(api: TestApi): Promise<void> {
  const pool = api.db.pool;
  await pool.query(
    `INSERT INTO customers (id, nickname, province, city) VALUES
       (1, 'c1', '广东', '深圳'), (2, 'c2', '广东', '广州'), (3, 'c3', '浙江', '杭州'), (4, 'c4', NULL, NULL), (5, 'c5', '浙江', '杭州')`,
  );
  const orders = [
    { customerId: 1, at: at('2025-12-10T10:00:00'), items: [{ category: 'food', amount: 20 }] },
    { customerId: 1, at: at('2026-01-05T10:00:00'), items: [{ category: 'food', amount: 50 }] },
    { customerId: 1, at: at('2026-02-20T10:00:00'), items: [{ category: 'durables', amount: 200 }] },
    {
      customerId: 2,
      at: at('2026-01-10T10:00:00'),
      items: [
        { category: 'kids_clothing', amount: 80 },
        { category: 'food', amount: 20 },
      ],
    },
    { customerId: 2, at: at('2026-01-10T20:00:00'), items: [{ category: 'daily_goods', amount: 40 }] },
    { customerId: 2, at: at('2026-03-05T10:00:00'), items: [{ category: 'food', amount: 60 }], status: 'refunded' },
    { customerId: 2, at: at('2026-03-15T10:00:00'), items: [{ category: 'daily_goods', amount: 10 }] },
    { customerId: 3, at: at('2026-02-01T00:30:00'), items: [{ category: 'food', amount: 170 }] },
    { customerId: 3, at: at('2026-02-05T00:30:00'), items: [{ category: 'food', amount: 30 }] },
    { customerId: 4, at: at('2026-03-31T23:00:00'), items: [{ category: 'durables', amount: 500 }] },
    { customerId: 4, at: at('2026-01-31T23:30:00'), items: [{ category: 'food', amount: 90 }], status: 'created' },
  ] as const;
  for (const o of orders) await insertOrder(pool, { ...o, items: [...o.items] });
}

describe(`GET /api/shop/overview (${describeEngine('configured')})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ now: () => NOW });
    await seed(api);
  });
  afterAll(async () => api?.close());

  const get = (qs: string, role: 'admin' | 'viewer' = 'admin') => api.call('GET', `/api/shop/overview?${qs}`, { role });

  it('computes every figure of a quarter by month, M by total spend', async () => {
    const res = await get('period=month&from=2026-01-01&to=2026-03-31');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const o = res.body;
    expect(o).toMatchObject({ from: '2026-01-01', to: '2026-03-31', timeZone: 'Asia/Shanghai', monetary: 'sum' });
    expect(o.trend).toEqual([
      { period: '2026-01-01', orders: 3, buyers: 2, sales: 190 },
      { period: '2026-02-01', orders: 3, buyers: 2, sales: 400 },
      { period: '2026-03-01', orders: 2, buyers: 2, sales: 510 },
    ]);
    expect(o.newReturning).toEqual([
      { period: '2026-01-01', newBuyers: 1, returningBuyers: 1 },
      { period: '2026-02-01', newBuyers: 1, returningBuyers: 1 },
      { period: '2026-03-01', newBuyers: 1, returningBuyers: 1 },
    ]);
    expect(o.provinces).toEqual([
      { province: null, buyers: 1, sales: 500 },
      { province: '广东', buyers: 2, sales: 400 },
      { province: '浙江', buyers: 1, sales: 200 },
    ]);
    expect(o.cities).toEqual([
      { province: null, city: null, buyers: 1, sales: 500 },
      { province: '广东', city: '深圳', buyers: 1, sales: 250 },
      { province: '浙江', city: '杭州', buyers: 1, sales: 200 },
      { province: '广东', city: '广州', buyers: 1, sales: 150 },
    ]);
    expect(o.categories).toEqual([
      { key: 'food', name: '食品', buyers: 3, sales: 270 },
      { key: 'kids_clothing', name: '童装', buyers: 1, sales: 80 },
      { key: 'daily_goods', name: '日用品', buyers: 1, sales: 50 },
      { key: 'durables', name: '耐用品', buyers: 2, sales: 700 },
      { key: 'uncategorised', name: '未分类', buyers: 0, sales: 0 },
    ]);
    // Medians over the 4 buyers: R 28.5 days, F 2.5 orders, M 235 (sum).
    expect(Object.fromEntries(o.rfm.map((g: { group: string; customers: number }) => [g.group, g.customers]))).toEqual({
      important_value: 0,
      important_development: 1,
      important_retention: 1,
      important_winback: 0,
      general_value: 1,
      general_development: 0,
      general_retention: 0,
      general_winback: 1,
    });
    expect(o.rfm.every((g: { warning: boolean }) => g.warning === false)).toBe(true);
    expect(o.nonBuyers).toBe(1);
    expect(o.lifecycle).toEqual([
      { group: 'A', customers: 2 },
      { group: 'B', customers: 2 },
      { group: 'C', customers: 0 },
      { group: 'D', customers: 1 },
    ]);
    expect(o.repurchase).toEqual([
      { month: '2026-01-01', buyers: 2, nextMonth: 0.5, twoMonths: 1, quarter: 1 },
      { month: '2026-02-01', buyers: 2, nextMonth: 0, twoMonths: 0, quarter: 0 },
      { month: '2026-03-01', buyers: 2, nextMonth: 0, twoMonths: 0, quarter: 0 },
    ]);
    expect(o.retention).toEqual({ firstTimeBuyers: 3, d1: 1 / 3, d3: 1 / 3, d7: 2 / 3, d30: 2 / 3 });
    expect(o.ltv).toEqual([
      { cohort: '2026-01-01', buyers: 1, perBuyer: [140, 140, 150, 150] },
      { cohort: '2026-02-01', buyers: 1, perBuyer: [200, 200, 200, 200] },
      { cohort: '2026-03-01', buyers: 1, perBuyer: [500, 500, 500, 500] },
    ]);
    expect(Object.keys(o.timings).sort()).toEqual(
      ['categories', 'cities', 'groups', 'ltv', 'newReturning', 'provinces', 'repurchase', 'retention', 'trend'].sort(),
    );
  });

  it('scores M by average order value when asked (median 95)', async () => {
    const res = await get('period=month&from=2026-01-01&to=2026-03-31&monetary=aov', 'viewer');
    expect(res.status).toBe(200);
    expect(res.body.monetary).toBe('aov');
    const sizes = Object.fromEntries(
      res.body.rfm.map((g: { group: string; customers: number }) => [g.group, g.customers]),
    );
    expect(sizes).toEqual({
      important_value: 0,
      important_development: 1,
      important_retention: 0,
      important_winback: 1,
      general_value: 1,
      general_development: 0,
      general_retention: 1,
      general_winback: 0,
    });
  });

  it('buckets by local day in the shop time zone, and by Monday weeks', async () => {
    const days = await get('period=day&from=2026-01-31&to=2026-02-01');
    expect(days.body.trend).toEqual([
      { period: '2026-01-31', orders: 0, buyers: 0, sales: 0 },
      { period: '2026-02-01', orders: 1, buyers: 1, sales: 170 },
    ]);
    const weeks = await get('period=week&from=2026-01-05&to=2026-01-18');
    expect(weeks.body.trend).toEqual([
      { period: '2026-01-05', orders: 3, buyers: 2, sales: 190 },
      { period: '2026-01-12', orders: 0, buyers: 0, sales: 0 },
    ]);
  });

  it('defaults to the last 90 days up to today', async () => {
    const res = await get('period=month');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: '2026-01-02', to: '2026-04-01', period: 'month' });
    expect(res.body.trend.map((t: { sales: number }) => t.sales)).toEqual([190, 400, 510, 0]);
  });

  it('rejects a bad query with the field path', async () => {
    for (const [qs, path] of [
      ['period=year', ['query', 'period']],
      ['from=2026-02-30', ['query', 'from']],
      ['from=2026-03-01&to=2026-02-01', ['query', 'to']],
      ['monetary=max', ['query', 'monetary']],
      ['from=2020-01-01&to=2026-01-01', ['query', 'from']],
    ] as const) {
      const res = await get(qs);
      expect(res.status, qs).toBe(400);
      expect(res.body.error.path, qs).toEqual(path);
    }
    const unknown = await get('segment=x');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('unknown_field');
  });

  /** The export's tables (split at the blank lines), each a list of rows of cells (no quoted commas here). */
  const csvTables = async (qs: string, headers: Record<string, string> = {}) => {
    const res = await api.call('GET', `/api/shop/overview.csv?${qs}`, { role: 'viewer', headers });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    expect(res.text.endsWith('\r\n')).toBe(true);
    const tables = res.text
      .slice(1)
      .slice(0, -2)
      .split('\r\n\r\n')
      .map((t) => t.split('\r\n').map((line) => line.split(',')));
    return { tables, disposition: res.headers.get('content-disposition') ?? '' };
  };

  it('exports every figure as CSV, one table per figure, in English with ?lang=en', async () => {
    const { tables, disposition } = await csvTables('period=month&from=2026-01-01&to=2026-03-31&lang=en');
    expect(disposition).toContain('shop-overview-2026-01-01-2026-03-31-month.csv');
    expect(tables.map((t) => t[0].join(','))).toEqual([
      'figure,value',
      'period,orders,buyers,sales',
      'period,new_buyers,returning_buyers',
      'province,buyers,sales',
      'province,city,buyers,sales',
      'category,buyers,sales',
      'rfm_group,customers,over_warning',
      'lifecycle_group,customers',
      'month,buyers,next_month,two_months,quarter',
      'first_time_buyers,d1,d3,d7,d30',
      'cohort,buyers,ltv_m0,ltv_m1,ltv_m2,ltv_m3',
    ]);
    const body = (i: number) => tables[i].slice(1).map((row) => row.join(','));
    expect(body(0)).toEqual([
      'from,2026-01-01',
      'to,2026-03-31',
      'time_zone,Asia/Shanghai',
      'period,month',
      'monetary,sum',
      'non_buyers,1',
    ]);
    expect(body(1)).toEqual(['2026-01-01,3,2,190', '2026-02-01,3,2,400', '2026-03-01,2,2,510']);
    expect(body(2)).toEqual(['2026-01-01,1,1', '2026-02-01,1,1', '2026-03-01,1,1']);
    // A customer without an address: an empty province and city.
    expect(body(3)).toEqual([',1,500', '广东,2,400', '浙江,1,200']);
    expect(body(4)).toEqual([',,1,500', '广东,深圳,1,250', '浙江,杭州,1,200', '广东,广州,1,150']);
    expect(body(5)).toEqual([
      'food,3,270',
      'kids_clothing,1,80',
      'daily_goods,1,50',
      'durables,2,700',
      'uncategorised,0,0',
    ]);
    expect(body(6)).toEqual([
      'important_value,0,false',
      'important_development,1,false',
      'important_retention,1,false',
      'important_winback,0,false',
      'general_value,1,false',
      'general_development,0,false',
      'general_retention,0,false',
      'general_winback,1,false',
    ]);
    expect(body(7)).toEqual(['A,2', 'B,2', 'C,0', 'D,1']);
    expect(body(8)).toEqual(['2026-01-01,2,0.5,1,1', '2026-02-01,2,0,0,0', '2026-03-01,2,0,0,0']);
    expect(body(9).map((row) => row.split(',').map(Number))).toEqual([[3, 1 / 3, 1 / 3, 2 / 3, 2 / 3]]);
    expect(body(10)).toEqual([
      '2026-01-01,1,140,140,150,150',
      '2026-02-01,1,200,200,200,200',
      '2026-03-01,1,500,500,500,500',
    ]);
  });

  it('exports in Chinese by default: Chinese headers and group names, the same numbers', async () => {
    const en = await csvTables('period=month&from=2026-01-01&to=2026-03-31&lang=en');
    const zh = await csvTables('period=month&from=2026-01-01&to=2026-03-31');
    expect(zh.tables.map((t) => t.length)).toEqual(en.tables.map((t) => t.length));
    expect(zh.tables[1][0]).toEqual(['周期', '订单数', '购买人数', '销售额']);
    expect(zh.tables[6][0]).toEqual(['RFM 分组', '客户数', '超过 3 万人']);
    for (const [header] of zh.tables) expect(header.join(','), header.join(',')).not.toMatch(/[a-z]{2,}/);
    expect(zh.tables[0].slice(1).map((row) => row[0])).toEqual([
      '开始',
      '结束',
      '时区',
      '周期',
      'RFM 金额口径',
      '未购买客户数',
    ]);
    expect(zh.tables[5].slice(1).map((row) => row[0])).toEqual(['食品', '童装', '日用品', '耐用品', '未分类']);
    expect(zh.tables[6][1][0]).toBe('重要价值客户');
    expect(zh.tables[7].slice(1).map((row) => row[0])).toEqual([
      'A 老客/忠诚客户',
      'B 活跃客户',
      'C 沉睡客户',
      'D 流失客户',
    ]);
    // Past the names, every cell is the same.
    const cells = (tables: string[][][]) => tables.slice(1).map((t) => t.slice(1).map((row) => row.slice(1)));
    expect(cells(zh.tables)).toEqual(cells(en.tables));
    expect(await csvTables('period=month&from=2026-01-01&to=2026-03-31', { 'accept-language': 'en' })).toEqual(en);
  });

  it('exports the RFM groups by average order value with ?monetary=aov, and checks its query', async () => {
    const { tables } = await csvTables('period=month&from=2026-01-01&to=2026-03-31&monetary=aov&lang=en');
    expect(tables[0]).toContainEqual(['monetary', 'aov']);
    expect(
      tables[6]
        .slice(1)
        .filter((row) => row[1] === '1')
        .map((row) => row[0]),
    ).toEqual(['important_development', 'important_winback', 'general_value', 'general_retention']);
    for (const [qs, path] of [
      ['lang=fr', ['query', 'lang']],
      ['monetary=max', ['query', 'monetary']],
      ['from=2026-03-01&to=2026-02-01', ['query', 'to']],
    ] as const) {
      const res = await api.call('GET', `/api/shop/overview.csv?${qs}`, { role: 'viewer' });
      expect(res.status, qs).toBe(400);
      expect(res.body.error.path, qs).toEqual(path);
    }
    expect((await api.call('GET', '/api/shop/overview.csv', { role: null })).status).toBe(401);
  });

  it("each clickable figure's segment (the page's links) matches the customers the figure counts", async () => {
    const count = async (segment: SegmentInput) => {
      const res = await api.call('POST', '/api/segments/preview', {
        role: 'marketer',
        body: { segment, asOf: NOW.toISOString(), timeZone: 'Asia/Shanghai', sampleSize: 0 },
      });
      expect(res.status, res.text).toBe(200);
      return res.body.count as number;
    };
    const [from, to] = ['2026-01-01', '2026-03-31'];
    for (const monetary of ['sum', 'aov'] as const) {
      const o = (await get(`period=month&from=${from}&to=${to}&monetary=${monetary}`)).body;
      for (const g of o.rfm)
        expect(await count(rfmSegment(g.group, monetary)), `${monetary} ${g.group}`).toBe(g.customers);
      if (monetary === 'aov') continue;
      for (const g of o.lifecycle) expect(await count(lifecycleSegment(g.group)), g.group).toBe(g.customers);
      for (const p of o.provinces)
        expect(await count(provinceSegment(p.province, from, to)), String(p.province)).toBe(p.buyers);
      for (const c of o.categories) expect(await count(categorySegment(c.key, from, to)), c.key).toBe(c.buyers);
      expect(o.ltv.length).toBe(3);
      for (const c of o.ltv) expect(await count(cohortSegment(c.cohort, from, to)), c.cohort).toBe(c.buyers);
    }
    // A range starting mid-month: c1 first bought in December, so not in January's clipped cohort either.
    const late = (await get('period=month&from=2026-01-06&to=2026-02-28')).body;
    expect(late.ltv.map((c: { cohort: string; buyers: number }) => [c.cohort, c.buyers])).toEqual([
      ['2026-01-01', 1],
      ['2026-02-01', 1],
    ]);
    for (const c of late.ltv) expect(await count(cohortSegment(c.cohort, late.from, late.to))).toBe(c.buyers);
  });

  it('is in the OpenAPI document with its query parameters', async () => {
    const doc = await api.call('GET', '/api/openapi.json', { role: null });
    const op = doc.body.paths['/api/shop/overview'].get;
    expect(op.parameters.map((p: { name: string; in: string }) => `${p.in}.${p.name}`).sort()).toEqual([
      'query.from',
      'query.monetary',
      'query.period',
      'query.to',
    ]);
    expect(op['x-roles']).toEqual(expect.arrayContaining(['viewer', 'marketer', 'admin']));
  });

  it("defaults M to the shop's setting when the settings have one; ?monetary still wins", async () => {
    const pool = api.db.pool;
    const sizes = (o: { rfm: { group: string; customers: number }[] }) =>
      Object.fromEntries(o.rfm.map((g) => [g.group, g.customers]));
    const qs = 'period=month&from=2026-01-01&to=2026-03-31';
    const byAov = (await get(`${qs}&monetary=aov`)).body;
    const bySum = (await get(`${qs}&monetary=sum`)).body;
    expect(sizes(byAov)).not.toEqual(sizes(bySum));
    await pool.query("UPDATE shop_settings SET rfm_monetary = 'aov'");
    try {
      const shopDefault = (await get(qs)).body;
      expect(shopDefault.monetary).toBe('aov');
      expect(sizes(shopDefault)).toEqual(sizes(byAov));
      expect((await get(`${qs}&monetary=sum`)).body.monetary).toBe('sum');
      const csv = await api.call('GET', `/api/shop/overview.csv?${qs}&lang=en`, { role: 'viewer' });
      expect(csv.text).toContain('\r\nmonetary,aov\r\n');
    } finally {
      await pool.query("UPDATE shop_settings SET rfm_monetary = 'sum'");
    }
    expect((await get(qs)).body.monetary).toBe('sum');
  });

  it('needs a key', async () => {
    const res = await api.call('GET', '/api/shop/overview', { role: null });
    expect(res.status).toBe(401);
  });
});

describe(`GET /api/shop/overview: a group over 30,000 (${describeEngine('configured')})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ now: () => NOW });
    // 30,001 alike buyers: each is at every median, so all score high (important value); one more
    // customer who never bought stays outside the groups.
    await api.db.pool.query(
      `INSERT INTO customers (id, nickname) SELECT g, 'b' || g FROM generate_series(1, 30002) g;
       INSERT INTO orders (customer_id, status, amount, item_count, created_at, paid_at)
       SELECT g, 'completed', 99, 1, timestamptz '2026-03-01 10:00+08', timestamptz '2026-03-01 10:00+08'
       FROM generate_series(1, 30001) g`,
    );
  });
  afterAll(async () => api?.close());

  it('warns on that group only', async () => {
    const res = await api.call('GET', '/api/shop/overview?from=2026-03-01&to=2026-03-01');
    expect(res.status).toBe(200);
    const flagged = res.body.rfm.filter((g: { warning: boolean }) => g.warning);
    expect(flagged).toEqual([{ group: 'important_value', customers: 30_001, warning: true }]);
    expect(res.body.nonBuyers).toBe(1);
    expect(res.body.trend).toEqual([{ period: '2026-03-01', orders: 30_001, buyers: 30_001, sales: 30_001 * 99 }]);
  });
});
