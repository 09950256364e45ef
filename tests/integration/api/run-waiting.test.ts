// Why members wait, in the run's answer (the monitor's sentences): a run started during quiet hours
// (21:00-08:00 Asia/Shanghai = 13:00-00:00 UTC) holds its marketing SMS until 08:00, and the run
// detail says so per node, with the wake-up time; members at a timed wait are "wait" until its end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEnv } from '../../../engine/src/temporal/test-env.ts';
import { onTimeSkippingLane } from '../../support/temporal-lane.ts';
import { insertCustomers } from '../db/fixtures.ts';
import type { TestApi } from './helpers.ts';
import { nextUtcHour, startTestApiOnTemporal, until, waitThenSms } from './helpers.ts';

const DAY = 86_400_000;

const smsAtOnce = {
  ...waitThenSms,
  name: 'sms at once',
  nodes: [waitThenSms.nodes[0], ...waitThenSms.nodes.slice(2)],
  edges: [
    { source: 'entry', sourcePort: 'out', target: 'tip' },
    { source: 'tip', sourcePort: 'out', target: 'exit' },
  ],
};

/** waitThenSms with an evaluation 7 days after entry, before the wait. */
const measured = {
  ...waitThenSms,
  name: 'measured',
  nodes: [
    ...waitThenSms.nodes,
    {
      id: 'measure',
      type: 'eval.checkpoint',
      position: { x: 1, y: 1 },
      config: { name: '7 天', anchors: ['entry'], offset: { amount: 7, unit: 'days' } },
    },
  ],
  edges: [
    { source: 'entry', sourcePort: 'out', target: 'measure' },
    { source: 'measure', sourcePort: 'out', target: 'wait' },
    ...waitThenSms.edges.slice(1),
  ],
};

describe.runIf(onTimeSkippingLane())('run detail: why members wait', () => {
  let api: TestApi;
  let env: TestEnv;

  beforeAll(async () => {
    ({ api, env } = await startTestApiOnTemporal());
    await insertCustomers(api.db.pool, [1, 2, 3]);
  });
  afterAll(async () => api?.close());

  async function run(draft: unknown): Promise<string> {
    const id = (await api.call('POST', '/api/journeys', { role: 'marketer', body: { draft } })).body.id;
    expect((await api.call('POST', `/api/journeys/${id}/publish`, { role: 'marketer', body: {} })).status).toBe(201);
    const res = await api.call('POST', `/api/journeys/${id}/runs`, { role: 'marketer', body: {} });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const waitingOf = (runId: string, reason: string) =>
    until(`members waiting (${reason})`, async () => {
      const d = await api.call('GET', `/api/runs/${runId}`, { role: 'viewer' });
      return d.body.waiting?.find((g: { reason: string }) => g.reason === reason);
    });

  it('a run started at 23:00 Shanghai: everyone waits at the SMS for the end of quiet hours (08:00)', async () => {
    await env.sleep(nextUtcHour(env.now(), 15) - env.now()); // 23:00 in Shanghai
    const wakeAt = nextUtcHour(env.now(), 0); // 08:00 in Shanghai
    const runId = await run(smsAtOnce);
    const group = await waitingOf(runId, 'quiet_hours');
    expect(group).toEqual({ nodeId: 'tip', reason: 'quiet_hours', members: 3, until: new Date(wakeAt).toISOString() });
    const sent = await api.db.pool.query(`SELECT count(*)::int AS n FROM messages WHERE run_id = $1`, [runId]);
    expect(sent.rows[0].n).toBe(0);

    // Paused: they move on when someone resumes, not at a time.
    expect((await api.call('POST', `/api/runs/${runId}/pause`, { role: 'ops' })).status).toBe(200);
    expect(await waitingOf(runId, 'paused')).toEqual({ nodeId: 'tip', reason: 'paused', members: 3, until: null });
    expect((await api.call('POST', `/api/runs/${runId}/stop`, { role: 'ops' })).status).toBe(200);
  });

  it('members at a two-day wait are waiting until its end, the evaluation is due in 7 days; an ended run answers null', async () => {
    const startedAt = env.now();
    const runId = await run(measured);
    const group = await waitingOf(runId, 'wait');
    expect(group).toMatchObject({ nodeId: 'wait', reason: 'wait', members: 3 });
    const wakeAt = Date.parse(group.until);
    // Two days after the members reached the wait (server time; rounded up to the minute).
    expect(wakeAt).toBeGreaterThanOrEqual(startedAt + 2 * DAY);
    expect(wakeAt).toBeLessThanOrEqual(env.now() + 2 * DAY + 60_000);
    const detail = (await api.call('GET', `/api/runs/${runId}`, { role: 'viewer' })).body;
    const dueAt = Date.parse(detail.nextCheckpointAt);
    expect(dueAt).toBeGreaterThanOrEqual(startedAt + 7 * DAY);
    expect(dueAt).toBeLessThanOrEqual(env.now() + 7 * DAY);
    expect((await api.call('POST', `/api/runs/${runId}/stop`, { role: 'ops' })).status).toBe(200);
    await env.client.workflow.getHandle(`run:${runId}`).result();
    expect((await api.call('GET', `/api/runs/${runId}`, { role: 'viewer' })).body).toMatchObject({
      waiting: null,
      nextCheckpointAt: null,
    });
  });
});
