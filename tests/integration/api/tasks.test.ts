// The staff inbox through the API: tasks written by the task activity (as a journey writes them),
// listed with masked or full phones by role, filtered and paged; claim / complete / dismiss with
// 409s for illegal transitions; counts; the notification settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSideEffectActivities, localSinkProvider } from '../../../activities/src/side-effects/index.ts';
import { insertCustomers, insertOrder, insertRun } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import { nodeCall, shanghai } from '../activities/helpers.ts';
import type { TestApi } from './helpers.ts';
import { auditActions, startTestApi } from './helpers.ts';

const NOON = shanghai('2026-11-12T12:00:00');
const NOW = new Date(NOON + 3 * 3_600_000); // 15:00: the 2-hour calls are overdue, the 1-day alerts are not

interface Listed {
  id: number;
  kind: string;
  state: string;
  dueAt: string;
  overdue: boolean;
  customer: { id: number; phone: string | null };
  order: { id: number; amount: number; status: string } | null;
  journey: { id: string; name: string } | null;
}

describe(`the staff inbox API (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let order: number;

  beforeAll(async () => {
    api = await startTestApi({ now: () => NOW });
    const pool = api.db.pool;
    await insertCustomers(pool, [1, 2, 3, 4, 5]);
    const runId = await insertRun(
      pool,
      [1, 2, 3, 4, 5].map((customerId) => ({ customerId, shard: customerId <= 2 ? 0 : 1, holdout: false })),
    );
    order = await insertOrder(pool, {
      customerId: 1,
      at: new Date(NOON),
      status: 'created',
      items: [{ category: 'food', amount: 2999 }],
    });
    const acts = createSideEffectActivities({ pool, provider: localSinkProvider(pool), now: () => new Date(0) });
    const ref = (shard: number) => ({ runId, shard, cohort: 'root' });
    // Customers 1-2: a large-order call due in 2 hours (customer 1's concerns the order).
    await acts.createStaffTask({
      ...nodeCall(
        'action.task',
        {
          assignee: 'customer_service',
          title: '大额订单未付款',
          dueIn: { amount: 2, unit: 'hours' },
          kind: 'large_order_call',
        },
        { ref: ref(0), nodeId: 'call_buyer', now: NOON },
      ),
      triggerOrderId: order,
    });
    // Customers 3-5: a 中评 alert for the owner, due in a day (kind from the template's node id).
    await acts.createStaffTask(
      nodeCall(
        'action.task',
        { assignee: 'shop_owner', title: '收到中评' },
        { ref: ref(1), nodeId: 'alert_owner', now: NOON },
      ),
    );
  });
  afterAll(async () => api?.close());

  const list = async (query = '', role: 'viewer' | 'ops' | 'marketer' = 'viewer') => {
    const res = await api.call('GET', `/api/tasks${query}`, { role });
    expect(res.status, res.text).toBe(200);
    return res.body as { tasks: Listed[]; next: string | null };
  };

  it('lists tasks most urgent first with customer, order, journey and due; phones masked unless the role may see them', async () => {
    const all = await list();
    expect(all.next).toBeNull();
    expect(all.tasks.map((t) => [t.customer.id, t.kind, t.state, t.overdue])).toEqual([
      [1, 'large_order_call', 'open', true],
      [2, 'large_order_call', 'open', true],
      [3, 'review_alert', 'open', false],
      [4, 'review_alert', 'open', false],
      [5, 'review_alert', 'open', false],
    ]);
    expect(all.tasks[0]).toMatchObject({
      dueAt: new Date(NOON + 2 * 3_600_000).toISOString(),
      order: { id: order, amount: 2999, status: 'created' },
      journey: { name: 'fixture' },
      customer: { phone: '+86****0001' },
    });
    expect(all.tasks[1].order).toBeNull();
    expect(JSON.stringify(all)).not.toContain('19000000001');
    for (const role of ['marketer'] as const)
      expect((await list('', role)).tasks[0].customer.phone).toBe('+86****0001');
    expect((await list('', 'ops')).tasks[0].customer.phone).toBe('+8619000000001');
  });

  it('filters by state, kind and assignee; pages with a cursor, each task once', async () => {
    expect((await list('?kind=review_alert')).tasks.map((t) => t.customer.id)).toEqual([3, 4, 5]);
    expect((await list('?assignee=customer_service')).tasks.map((t) => t.customer.id)).toEqual([1, 2]);
    expect((await list('?state=done')).tasks).toEqual([]);
    const seen: number[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const page = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.tasks.map((t) => t.customer.id));
      cursor = page.next;
      pages += 1;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(pages).toBe(3);
    for (const [query, path] of [
      ['?cursor=abc', ['query', 'cursor']],
      ['?kind=call', ['query', 'kind']],
      ['?state=cancelled', ['query', 'state']],
      ['?limit=0', ['query', 'limit']],
    ] as const) {
      const res = await api.call('GET', `/api/tasks${query}`, { role: 'viewer' });
      expect(res.status, query).toBe(400);
      expect(res.body.error.path).toEqual(path);
    }
  });

  it('claim, complete and dismiss: repeats answer unchanged, illegal transitions are 409, each change audited', async () => {
    const [a, b, c] = (await list()).tasks;
    const post = (id: number | string, action: string, role: 'marketer' | 'ops' | 'viewer', body?: unknown) =>
      api.call('POST', `/api/tasks/${id}/${action}`, { role, body });

    expect((await post(a.id, 'claim', 'viewer')).status).toBe(403);
    const claimed = await post(a.id, 'claim', 'marketer');
    expect(claimed.status, claimed.text).toBe(200);
    expect(claimed.body).toMatchObject({ state: 'claimed', claimedBy: 'marketer', claimedAt: NOW.toISOString() });
    expect((await post(a.id, 'claim', 'marketer')).body).toEqual(claimed.body);
    const stolen = await post(a.id, 'claim', 'ops');
    expect(stolen.status).toBe(409);
    expect(stolen.body.error).toMatchObject({
      code: 'invalid_transition',
      path: ['params', 'id'],
      details: { state: 'claimed' },
    });
    expect((await post(a.id, 'complete', 'ops', { outcome: '已联系' })).status).toBe(409);

    const noOutcome = await post(a.id, 'complete', 'marketer', {});
    expect(noOutcome.status).toBe(400);
    expect(noOutcome.body.error.path).toEqual(['body', 'outcome']);
    const done = await post(a.id, 'complete', 'marketer', { outcome: '买家已付款' });
    expect(done.body).toMatchObject({
      state: 'done',
      outcome: '买家已付款',
      completedAt: NOW.toISOString(),
      overdue: false,
    });
    expect((await post(a.id, 'complete', 'marketer', { outcome: '买家已付款' })).status).toBe(200);
    const other = await post(a.id, 'complete', 'marketer', { outcome: '不同的结果' });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toMatch(/already done/);
    const dismissDone = await post(a.id, 'dismiss', 'ops', { reason: '重复' });
    expect(dismissDone.status).toBe(409);
    expect(dismissDone.body.error.message).toMatch(/done; it cannot be dismissed/);

    // An open task completed at once is claimed by whoever completes it.
    expect((await post(b.id, 'complete', 'ops', { outcome: '已回电' })).body).toMatchObject({
      state: 'done',
      claimedBy: 'ops',
    });
    const dismissed = await post(c.id, 'dismiss', 'ops', { reason: '买家已改好评' });
    expect(dismissed.body).toMatchObject({ state: 'dismissed', dismissReason: '买家已改好评' });
    expect((await post(c.id, 'dismiss', 'ops', { reason: '买家已改好评' })).status).toBe(200);
    const late = await post(c.id, 'complete', 'ops', { outcome: 'x' });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'invalid_transition', details: { state: 'dismissed' } });
    expect(late.body.error.message).toBe('the task was dismissed; it cannot be completed');
    expect((await post(c.id, 'claim', 'ops')).status).toBe(409);

    for (const id of ['999999', 'abc', '0']) expect((await post(id, 'claim', 'ops')).status, id).toBe(404);

    const actions = await auditActions(api);
    expect(actions.filter((x) => x.startsWith('task.'))).toEqual([
      'task.claim',
      'task.complete',
      'task.complete',
      'task.dismiss',
    ]);
  });

  it('counts per state, per kind and overdue', async () => {
    const res = await api.call('GET', '/api/tasks/counts', { role: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      states: { open: 2, claimed: 0, done: 2, dismissed: 1 },
      kinds: {
        large_order_call: { open: 0, claimed: 0, done: 2, dismissed: 0 },
        review_alert: { open: 2, claimed: 0, done: 0, dismissed: 1 },
      },
      overdue: 0,
    });
    expect((await list('?state=open&kind=review_alert')).tasks.map((t) => t.customer.id)).toEqual([4, 5]);
  });

  it('notification settings: validated whole (nothing written on a 400), the owner number parsed, audited', async () => {
    const put = (body: unknown, role: 'ops' | 'marketer' = 'ops') =>
      api.call('PUT', '/api/task-notifications', { role, body });
    expect((await put({ kinds: { review_alert: { channel: 'none' } } }, 'marketer')).status).toBe(403);
    const initial = await api.call('GET', '/api/task-notifications', { role: 'ops' });
    expect(initial.body.ownerPhone).toBeNull();
    expect(initial.body.kinds.review_alert).toEqual({ channel: 'none', webhookUrl: null });

    for (const [body, path] of [
      [{ kinds: { review_alert: { channel: 'sms' } } }, ['body', 'ownerPhone']],
      [{ ownerPhone: '010-12345678' }, ['body', 'ownerPhone']],
      [{ kinds: { review_alert: { channel: 'webhook' } } }, ['body', 'kinds', 'review_alert', 'webhookUrl']],
      [
        { kinds: { review_alert: { channel: 'webhook', webhookUrl: 'http://example.com/hook' } } },
        ['body', 'kinds', 'review_alert', 'webhookUrl'],
      ],
      [
        { kinds: { review_alert: { channel: 'sms', webhookUrl: 'https://example.com/hook' } } },
        ['body', 'kinds', 'review_alert', 'webhookUrl'],
      ],
      [{ kinds: { bogus: { channel: 'sms' } } }, ['body', 'kinds', 'bogus']],
    ] as const) {
      const res = await put(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.path, JSON.stringify(body)).toEqual(path);
      expect(res.body.error.message).not.toContain('12345678');
    }
    expect((await api.call('GET', '/api/task-notifications', { role: 'ops' })).body).toEqual(initial.body);

    const set = await put({
      ownerPhone: '138 0013 8000',
      kinds: {
        review_alert: { channel: 'sms' },
        large_order_call: { channel: 'webhook', webhookUrl: 'https://example.com/hook' },
      },
    });
    expect(set.status, set.text).toBe(200);
    expect(set.body.ownerPhone).toBe('+8613800138000');
    expect(set.body.kinds.review_alert).toEqual({ channel: 'sms', webhookUrl: null });
    expect(set.body.kinds.large_order_call).toEqual({ channel: 'webhook', webhookUrl: 'https://example.com/hook' });
    // Clearing the number while a kind texts it is refused.
    expect((await put({ ownerPhone: null })).status).toBe(400);
    expect((await put({ ownerPhone: null, kinds: { review_alert: { channel: 'none' } } })).body.ownerPhone).toBeNull();
    const audited = await api.db.pool.query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_log WHERE action = 'task-notifications.update' ORDER BY id`,
    );
    expect(audited.rows.map((r) => r.details.ownerPhone)).toEqual(['set', 'cleared']);
    expect(JSON.stringify(audited.rows)).not.toContain('13800138000');
  });
});
