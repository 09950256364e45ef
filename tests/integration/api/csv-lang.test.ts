// CSV exports speak the reader's language: Chinese column names by default (the builder's download),
// the snake_case keys with ?lang=en or Accept-Language: en; the byte order mark either way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEmptyRun } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

describe(`CSV export language (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let runId: string;
  beforeAll(async () => {
    api = await startTestApi();
    runId = await insertEmptyRun(api.db.pool);
    const arm = JSON.stringify({
      targets: 100,
      sent: 100,
      delivered: 98,
      billedSegments: 100,
      buyers: 9,
      orders: 9,
      sales: 900,
      cost: 5,
    });
    await api.db.pool.query(
      `INSERT INTO evaluations (evaluation_key, run_id, checkpoint, node_id, cycle, shard, cohort, window_start, window_end, treatment, holdout)
       VALUES ($1, $2, 'day2', 'eval_day2', 0, 0, 'root', '2026-11-12T00:00:00Z', '2026-11-14T00:00:00Z', $3, $3)`,
      [`${runId}:day2:0`, runId, arm],
    );
  });
  afterAll(async () => api?.close());

  const csv = async (query: string, headers: Record<string, string> = {}) => {
    const res = await api.call('GET', `/api/runs/${runId}/report.csv${query}`, { role: 'viewer', headers });
    expect(res.status).toBe(200);
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    const [header, row] = res.text.slice(1).split('\r\n');
    return { header: header.split(','), row: row.split(',') };
  };

  it('Chinese by default and with ?lang=zh, the same figures', async () => {
    const zh = await csv('');
    expect(zh.header.slice(0, 6)).toEqual(['评估点', '节点', '轮次', '分组', '统计开始', '统计结束']);
    expect(zh.header).toContain('触达组·销售额');
    expect(zh.header).toContain('对照组·响应率');
    expect(zh.header.join(',')).not.toMatch(/[a-z]{3,}/);
    expect(await csv('?lang=zh')).toEqual(zh);
    // A Chinese browser says so too.
    expect(await csv('', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' })).toEqual(zh);
  });

  it('English keys with ?lang=en or Accept-Language: en; ?lang wins over the header', async () => {
    const zh = await csv('');
    const en = await csv('?lang=en');
    expect(en.header.slice(0, 6)).toEqual(['checkpoint', 'node_id', 'cycle', 'group', 'window_start', 'window_end']);
    expect(en.header).toContain('treatment_sales');
    expect(en.header).toHaveLength(zh.header.length);
    expect(en.row).toEqual(zh.row);
    expect(await csv('', { 'accept-language': 'en-GB,en;q=0.9' })).toEqual(en);
    expect(await csv('?lang=zh', { 'accept-language': 'en' })).toEqual(zh);
  });

  it('an unknown language is a 400 on the query field', async () => {
    const res = await api.call('GET', `/api/runs/${runId}/report.csv?lang=fr`, { role: 'viewer' });
    expect(res.status).toBe(400);
    expect(res.body.error.path).toEqual(['query', 'lang']);
  });
});
