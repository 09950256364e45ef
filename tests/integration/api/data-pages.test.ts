// The builder's data pages through the API (issue 18 §5): the imports history (file names, row
// counts, errors, who and when), every journey's schedules in one list, and the opt-out list with
// manual additions and removals, each with a reason and in the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomers } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { auditActions, startTestApi, waitThenSms } from './helpers.ts';

describe(`data pages (${describeEngine('configured')})`, () => {
  let api: TestApi;
  const upload = (kind: string, fileName: string, body: string) =>
    api.call('POST', `/api/imports/${kind}?fileName=${encodeURIComponent(fileName)}`, {
      role: 'engineer',
      raw: body,
      headers: { 'content-type': 'text/csv' },
    });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const byId = (list: readonly any[], id: string) => list.find((x: { id: string }) => x.id === id);

  beforeAll(async () => {
    api = await startTestApi();
    // Customers with chosen ids first: an import after them must still find free ids.
    await insertCustomers(api.db.pool, [1, 2, 3]);
  });
  afterAll(async () => api?.close());

  describe('imports history', () => {
    let rejectedId: string;
    let goodId: string;

    beforeAll(async () => {
      const bad = await upload(
        'customers',
        '坏文件.csv',
        'external_id,nickname,phone,birthday\nx-1,Ann,13800138001,\nx-2,,13800138002,1990-13-40\n',
      );
      expect(bad.status, bad.text).toBe(422);
      rejectedId = bad.body.error.details.importId;
      const good = await upload('customers', 'good.csv', 'external_id,nickname,phone\nx-1,Ann,13800138001\nx-2,Bo,\n');
      expect(good.status, good.text).toBe(200);
      goodId = good.body.id;
    });

    it('lists every upload with its file name, counts, state and uploader; the errors stay on GET /api/imports/:id', async () => {
      const res = await api.call('GET', '/api/imports', { role: 'engineer' });
      expect(res.status, res.text).toBe(200);
      expect(res.body.total).toBe(2);
      expect(byId(res.body.imports, goodId)).toMatchObject({
        kind: 'customers',
        fileName: 'good.csv',
        state: 'succeeded',
        rowsRead: 2,
        inserted: 2,
        updated: 0,
        errorCount: 0,
        actor: expect.stringMatching(/^key:/),
        actorName: 'engineer',
        finishedAt: expect.any(String),
      });
      const rejected = byId(res.body.imports, rejectedId);
      expect(rejected).toMatchObject({
        fileName: '坏文件.csv',
        state: 'rejected',
        rowsRead: 2,
        rowsFailed: 1,
        inserted: 0,
      });
      expect(rejected.errorCount).toBeGreaterThanOrEqual(2);
      expect(rejected).not.toHaveProperty('errors');
      const detail = await api.call('GET', `/api/imports/${rejectedId}`, { role: 'engineer' });
      expect(detail.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ line: 3, column: 'nickname' }),
          expect.objectContaining({ line: 3, column: 'birthday' }),
        ]),
      );
      // The import after insertCustomers took new ids beside the chosen ones.
      const { rows } = await api.db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM customers WHERE external_id IN ('x-1', 'x-2') AND id > 3`,
      );
      expect(rows[0].n).toBe(2);
    });

    it('pages, filters by kind, and is for the roles that import', async () => {
      const page = await api.call('GET', '/api/imports?limit=1&offset=1', { role: 'admin' });
      expect(page.body.total).toBe(2);
      expect(page.body.imports).toHaveLength(1);
      const first = await api.call('GET', '/api/imports?limit=1', { role: 'admin' });
      expect(new Set([first.body.imports[0].id, page.body.imports[0].id])).toEqual(new Set([goodId, rejectedId]));
      const orders = await api.call('GET', '/api/imports?kind=orders', { role: 'admin' });
      expect(orders.body).toEqual({ imports: [], total: 0 });
      expect((await api.call('GET', '/api/imports', { role: 'marketer' })).status).toBe(403);
      const bad = await api.call('GET', '/api/imports?limit=0', { role: 'admin' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.path).toEqual(['query', 'limit']);
      const badName = await upload('customers', 'x'.repeat(201), 'external_id,nickname\n');
      expect(badName.status).toBe(400);
      expect(badName.body.error.path).toEqual(['query', 'fileName']);
    });
  });

  describe('schedules list', () => {
    it("lists every journey's schedules with the journey's name; deleted ones only when asked for", async () => {
      const journey = (
        await api.call('POST', '/api/journeys', { role: 'marketer', body: { name: '每日上新', draft: waitThenSms } })
      ).body;
      expect(
        (await api.call('POST', `/api/journeys/${journey.id}/publish`, { role: 'marketer', body: {} })).status,
      ).toBe(201);
      const create = (body: object) =>
        api.call('POST', `/api/journeys/${journey.id}/schedules`, { role: 'marketer', body });
      const daily = (await create({ every: 'day', at: '09:30' })).body;
      const weekly = (await create({ every: 'week', at: '10:00', weekday: 1 })).body;
      const monthly = (await create({ every: 'month', at: '08:00', monthDay: 31 })).body;
      expect((await api.call('POST', `/api/schedules/${weekly.id}/pause`, { role: 'marketer' })).status).toBe(200);
      expect((await api.call('DELETE', `/api/schedules/${monthly.id}`, { role: 'marketer' })).status).toBe(200);

      const res = await api.call('GET', '/api/schedules', { role: 'viewer' });
      expect(res.status, res.text).toBe(200);
      expect(res.body.total).toBe(2);
      expect(new Set(res.body.schedules.map((s: { id: string }) => s.id))).toEqual(new Set([daily.id, weekly.id]));
      expect(byId(res.body.schedules, weekly.id)).toMatchObject({
        journeyId: journey.id,
        journeyName: '每日上新',
        state: 'paused',
        createdByName: 'marketer',
        every: 'week',
        weekday: 1,
      });
      const deleted = await api.call('GET', '/api/schedules?state=deleted', { role: 'viewer' });
      expect(deleted.body.schedules.map((s: { id: string }) => s.id)).toEqual([monthly.id]);
      const paged = await api.call('GET', '/api/schedules?limit=1&offset=1', { role: 'viewer' });
      expect(paged.body).toMatchObject({ total: 2, schedules: [expect.any(Object)] });
      const bad = await api.call('GET', '/api/schedules?state=gone', { role: 'viewer' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.path).toEqual(['query', 'state']);
    });
  });

  describe('opt-out list', () => {
    const add = (body: object, role: 'marketer' | 'ops' | 'viewer' | 'admin' = 'marketer') =>
      api.call('POST', '/api/opt-outs/manual', { role, body });
    const list = (query = '', role: 'viewer' | 'admin' = 'viewer') =>
      api.call('GET', `/api/opt-outs${query}`, { role });

    it('adds by phone or by customer, with a reason; refuses twins, bad input and roles without optouts.add', async () => {
      // Customer 1's number (fixtures: +86190 and the id in 8 digits).
      const byPhone = await add({ phone: '19000000001', reason: '电话里要求不再发短信' });
      expect(byPhone.status, byPhone.text).toBe(201);
      expect(byPhone.body).toMatchObject({
        customerId: 1,
        customerName: 'c1',
        phone: '+86****0001',
        source: 'manual',
        reason: '电话里要求不再发短信',
        createdBy: expect.stringMatching(/^key:/),
        createdByName: 'marketer',
      });
      const byCustomer = await add({ customerId: 2, reason: 'complaint' }, 'ops');
      expect(byCustomer.status, byCustomer.text).toBe(201);
      expect(byCustomer.body).toMatchObject({ customerId: 2, phone: '+8619000000002' });
      const stranger = await add({ phone: '+8613700137000', reason: 'asked by chat' });
      expect(stranger.body).toMatchObject({ customerId: null, customerName: null });

      const twin = await add({ customerId: 1, reason: 'again' });
      expect(twin.status).toBe(409);
      expect(twin.body.error).toMatchObject({ code: 'already_opted_out', path: ['body', 'customerId'] });
      expect(twin.body.error.details.optOutId).toBe(byPhone.body.id);
      for (const [body, path] of [
        [{ phone: '19000000003' }, ['body', 'reason']],
        [{ phone: '19000000003', reason: '  ' }, ['body', 'reason']],
        [{ phone: '010-1234', reason: 'x' }, ['body', 'phone']],
        [{ phone: '19000000003', customerId: 3, reason: 'x' }, ['body', 'phone']],
        [{ reason: 'x' }, ['body', 'phone']],
      ] as const) {
        const res = await add(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.path).toEqual(path);
      }
      expect((await add({ customerId: 999, reason: 'x' })).status).toBe(404);
      expect((await add({ phone: '19000000003', reason: 'x' }, 'viewer')).status).toBe(403);
      // The send path reads the list: the opted-out customers are excluded from marketing.
      const { rows } = await api.db.pool.query<{ customer_id: string }>(
        `SELECT customer_id FROM opt_outs WHERE customer_id IS NOT NULL ORDER BY customer_id`,
      );
      expect(rows.map((r) => Number(r.customer_id))).toEqual([1, 2]);
      expect(await auditActions(api, byPhone.body.id)).toEqual(['optout.add']);
    });

    it('lists newest first with masked phones (full for roles that see phones), searches and pages', async () => {
      const all = await list();
      expect(all.body.total).toBe(3);
      expect(all.body.optOuts.map((o: { phone: string }) => o.phone).sort()).toEqual(
        ['+86****0001', '+86****0002', '+86****7000'].sort(),
      );
      const full = await list('', 'admin');
      expect(full.body.optOuts.map((o: { phone: string }) => o.phone)).toContain('+8619000000002');
      expect((await list('?q=0000002')).body.optOuts.map((o: { customerId: number }) => o.customerId)).toEqual([2]);
      expect((await list('?q=c1')).body.optOuts.map((o: { customerId: number }) => o.customerId)).toEqual([1]);
      expect((await list('?q=1')).body.optOuts.map((o: { customerId: number }) => o.customerId)).toEqual([1]);
      expect((await list('?q=nobody')).body).toEqual({ optOuts: [], total: 0 });
      const pages = [await list('?limit=2'), await list('?limit=2&offset=2')];
      expect(pages.map((p) => p.body.optOuts.length)).toEqual([2, 1]);
      expect(new Set(pages.flatMap((p) => p.body.optOuts.map((o: { id: string }) => o.id))).size).toBe(3);
    });

    it('removes with a reason (ops, admin), audited without the full number; 404 for a gone or malformed id', async () => {
      const entry = (await list('?q=0000002', 'admin')).body.optOuts[0];
      const remove = (id: string, body: object, role: 'marketer' | 'ops') =>
        api.call('POST', `/api/opt-outs/${id}/remove`, { role, body });
      expect((await remove(entry.id, { reason: '客户重新同意接收' }, 'marketer')).status).toBe(403);
      const missingReason = await remove(entry.id, {}, 'ops');
      expect(missingReason.status).toBe(400);
      expect(missingReason.body.error.path).toEqual(['body', 'reason']);
      const res = await remove(entry.id, { reason: '客户重新同意接收' }, 'ops');
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ id: entry.id, customerId: 2 });
      expect((await list()).body.total).toBe(2);
      expect(await auditActions(api, entry.id)).toEqual(['optout.add', 'optout.remove']);
      const { rows } = await api.db.pool.query<{ details: Record<string, unknown> }>(
        `SELECT details FROM audit_log WHERE action = 'optout.remove' AND entity_id = $1`,
        [entry.id],
      );
      expect(rows[0].details).toMatchObject({ reason: '客户重新同意接收', customerId: 2, phone: '+86****0002' });
      expect(JSON.stringify(rows[0].details)).not.toContain('19000000002');
      expect((await remove(entry.id, { reason: 'again' }, 'ops')).status).toBe(404);
      expect((await remove('abc', { reason: 'x' }, 'ops')).status).toBe(404);
      // The customer can opt out again afterwards.
      expect((await add({ customerId: 2, reason: 'changed their mind' })).status).toBe(201);
    });
  });
});
