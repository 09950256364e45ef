// The review before launch: the audience is the segment's own count, the estimates follow the
// path with the most SMS, the entry's start time is warned about when past and honoured when
// future (the run is scheduled for it), and a triggered journey has no run by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyTemplates } from '@huitou/schemas';
import { insertCustomers, insertOrder } from '../db/fixtures.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi, waitThenSms } from './helpers.ts';

// The engine's clock, pinned: "past" and "future" never depend on when the test runs.
const NOW = new Date('2026-12-06T02:00:00Z');
const FUTURE = '2026-12-10T02:00:00.000Z';
const PAST = '2026-12-01T02:00:00.000Z';

const buyers = { kind: 'purchase', metric: 'count', window: { kind: 'all_time' }, compare: { op: 'gte', value: 1 } };

/** waitThenSms for buyers only, with 20% holdout, a second SMS and the given start time. */
function draft(startAt?: string) {
  return {
    ...waitThenSms,
    settings: { holdoutPercent: 20, sms: { signature: '【测试店】', unitPrice: 0.05 } },
    nodes: [
      {
        ...waitThenSms.nodes[0],
        config: {
          segment: { where: buyers, exclude: [] },
          schedule: { kind: 'once', ...(startAt ? { startAt } : {}) },
        },
      },
      ...waitThenSms.nodes.slice(1, 3),
      { id: 'again', type: 'action.sms', position: { x: 3, y: 0 }, config: { template: '最后一天，别错过' } },
      { id: 'exit', type: 'exit', position: { x: 4, y: 0 }, config: {} },
    ],
    edges: [
      ...waitThenSms.edges.slice(0, 2),
      { source: 'tip', sourcePort: 'out', target: 'again' },
      { source: 'again', sourcePort: 'out', target: 'exit' },
    ],
  };
}

describe('review before launch', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ now: () => NOW });
    await insertCustomers(api.db.pool, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    for (const customerId of [1, 2, 3, 5, 8, 9, 10, 11, 4, 6])
      await insertOrder(api.db.pool, {
        customerId,
        at: new Date('2026-10-01T00:00:00Z'),
        items: [{ category: 'food', amount: 50 }],
      });
  });
  afterAll(async () => api?.close());

  const create = async (body: unknown) =>
    (await api.call('POST', '/api/journeys', { role: 'marketer', body: { draft: body } })).body.id as string;

  it("counts the segment's members, estimates messages and cost on the main path, and warns of a past start", async () => {
    const id = await create(draft(PAST));
    const segment = await api.call('POST', '/api/segments/preview', {
      role: 'marketer',
      body: { segment: { where: buyers } },
    });
    expect(segment.body.count).toBe(10);

    const res = await api.call('GET', `/api/journeys/${id}/review`, { role: 'viewer' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      kind: 'audience',
      version: null,
      audienceCount: segment.body.count,
      treatedCount: 8,
      estimateBasis: 'audience_x_main_path',
      estimatedMessages: 16,
      holdoutPercent: 20,
      quietHours: { from: '21:00', to: '08:00' },
      sendWindow: { from: '08:00', to: '21:00' },
      timeZone: 'Asia/Shanghai',
      startAt: PAST,
      startInPast: true,
      recurring: false,
      trigger: null,
      canRunNow: true,
    });
    expect(res.body.smsNodes.map((s: { nodeId: string }) => s.nodeId)).toEqual(['tip', 'again']);
    const perMember = res.body.smsNodes.reduce((sum: number, s: { costPerMember: number }) => sum + s.costPerMember, 0);
    expect(res.body.estimatedCost).toBeCloseTo(perMember * 8, 4);
    expect(res.body.smsNodes[0]).toMatchObject({ members: 8, segmentsPerMessage: 1, costPerMember: 0.05 });

    // A past start time starts the run now (not scheduled).
    expect((await api.call('POST', `/api/journeys/${id}/publish`, { role: 'marketer', body: {} })).status).toBe(201);
    const published = await api.call('GET', `/api/journeys/${id}/review?version=1`, { role: 'viewer' });
    expect(published.body).toMatchObject({ version: 1, audienceCount: 10, startInPast: true });
    const run = await api.call('POST', `/api/journeys/${id}/runs`, { role: 'marketer', body: {} });
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ state: 'pending', scheduledFor: null });
  });

  it('honours a future start time: the review shows it and run-now schedules the run for it', async () => {
    const id = await create(draft(FUTURE));
    const review = await api.call('GET', `/api/journeys/${id}/review`, { role: 'marketer' });
    expect(review.body).toMatchObject({ startAt: FUTURE, startInPast: false });
    expect((await api.call('POST', `/api/journeys/${id}/publish`, { role: 'marketer', body: {} })).status).toBe(201);
    const run = await api.call('POST', `/api/journeys/${id}/runs`, { role: 'marketer', body: {} });
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ state: 'scheduled', scheduledFor: FUTURE, startedAt: null });
    // A start time in the request still wins over the entry's.
    const earlier = '2026-12-08T02:00:00.000Z';
    const asked = await api.call('POST', `/api/journeys/${id}/runs`, {
      role: 'marketer',
      body: { startAt: earlier, allowConcurrent: true },
    });
    expect(asked.body).toMatchObject({ state: 'scheduled', scheduledFor: earlier });
  });

  it('a triggered journey: the trigger, per-entrant estimates, no run by hand (a clear 422)', async () => {
    const id = await create(journeyTemplates.paymentReminder);
    const review = await api.call('GET', `/api/journeys/${id}/review`, { role: 'viewer' });
    expect(review.status, JSON.stringify(review.body)).toBe(200);
    expect(review.body).toMatchObject({
      kind: 'triggered',
      audienceCount: null,
      treatedCount: null,
      estimateBasis: 'per_entrant_main_path',
      trigger: { kind: 'event', event: 'order_created' },
      startAt: null,
      startInPast: false,
      canRunNow: false,
    });
    expect(review.body.estimatedMessages).toBe(review.body.smsNodes.length);
    expect(review.body.smsNodes.length).toBeGreaterThan(0);
    expect((await api.call('POST', `/api/journeys/${id}/publish`, { role: 'marketer', body: {} })).status).toBe(201);
    const run = await api.call('POST', `/api/journeys/${id}/runs`, { role: 'marketer', body: {} });
    expect(run.status).toBe(422);
    expect(run.body.error).toMatchObject({ code: 'not_audience', path: ['params', 'id'] });
  });

  it('refuses what it cannot review with structured 4xx: invalid drafts, unknown versions, bad queries, no key', async () => {
    const broken = await create({ schemaVersion: 1, name: 'empty', nodes: [], edges: [] });
    const invalid = await api.call('GET', `/api/journeys/${broken}/review`, { role: 'viewer' });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error).toMatchObject({ code: 'journey_invalid', path: ['draft'] });
    const id = await create(draft());
    const missing = await api.call('GET', `/api/journeys/${id}/review?version=7`, { role: 'viewer' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.path).toEqual(['query', 'version']);
    const bad = await api.call('GET', `/api/journeys/${id}/review?version=first`, { role: 'viewer' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toEqual(['query', 'version']);
    expect((await api.call('GET', `/api/journeys/${id}/review`, { role: null })).status).toBe(401);
    expect((await api.call('GET', '/api/journeys/not-an-id/review', { role: 'viewer' })).status).toBe(404);
  });
});
