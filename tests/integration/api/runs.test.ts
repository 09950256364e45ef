// Runs against the embedded time-skipping server with the real interpreter worker: start now or
// later, detail with positions and live counts, ops controls by signal + state, all audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestEnv } from '../../../engine/src/temporal/test-env.ts';
import { startDueRuns } from '../../../engine/src/scheduler/schedule.ts';
import { insertCustomers } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { auditActions, startTestApiOnTemporal, until, waitThenSms } from './helpers.ts';

describe(`runs API on Temporal (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let env: TestEnv;
  let journeyId: string;

  beforeAll(async () => {
    ({ api, env } = await startTestApiOnTemporal());
    await insertCustomers(api.db.pool, [1, 2, 3, 4]);
    journeyId = (
      await api.call('POST', '/api/journeys', { role: 'marketer', body: { name: 'tip', draft: waitThenSms } })
    ).body.id;
    expect(
      (await api.call('POST', `/api/journeys/${journeyId}/publish`, { role: 'marketer', body: { notes: 'v1' } }))
        .status,
    ).toBe(201);
  });
  afterAll(async () => api?.close());

  it('starts an audience run now: runs row + audienceRun workflow with the run id; detail shows positions and live counts', async () => {
    const res = await api.call('POST', `/api/journeys/${journeyId}/runs`, { role: 'marketer', body: {} });
    expect(res.status).toBe(201);
    const runId = res.body.id as string;
    expect(res.body).toMatchObject({ state: 'running', kind: 'audience', workflowId: `run:${runId}` });

    const description = await env.client.workflow.getHandle(`run:${runId}`).describe();
    expect(description).toMatchObject({ type: 'audienceRun', taskQueue: env.taskQueue });
    const history = await env.client.workflow.getHandle(`run:${runId}`).fetchHistory();
    const payload = history.events?.[0].workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const input = JSON.parse(Buffer.from(payload?.data as Uint8Array).toString('utf8'));
    expect(input).toMatchObject({ runId, journeyId, versionId: res.body.versionId, plan: { entry: 'entry' } });

    // The worker snapshots the four customers and parks them at the two-day wait.
    const detail = await until('members at the wait', async () => {
      const d = await api.call('GET', `/api/runs/${runId}`, { role: 'viewer' });
      return (
        d.body.live?.wait?.waiting === 4 &&
        d.body.positions.some((p: { position: string }) => p.position === 'wait') &&
        d.body
      );
    });
    expect(detail).toMatchObject({
      memberCount: 4,
      positions: [{ position: 'wait', members: 4, active: 4, exited: 0, holdout: 0 }],
    });
    const members = await api.call('GET', `/api/runs/${runId}/members?limit=3`, { role: 'viewer' });
    expect(members.body.members.map((m: { customerId: number }) => m.customerId)).toEqual([1, 2, 3]);
    expect(members.body.next).toBe(3);

    // Ops controls: state in Postgres, signal to the workflow, audit row; invalid transitions are 409s.
    expect((await api.call('POST', `/api/runs/${runId}/pause`, { role: 'marketer' })).status).toBe(403);
    const paused = await api.call('POST', `/api/runs/${runId}/pause`, { role: 'ops' });
    expect(paused.body).toMatchObject({ run: { state: 'paused' }, signalled: true });
    expect((await api.call('POST', `/api/runs/${runId}/pause`, { role: 'ops' })).status).toBe(409);
    expect((await api.call('POST', `/api/runs/${runId}/drain`, { role: 'ops' })).status).toBe(409);
    expect((await api.call('POST', `/api/runs/${runId}/resume`, { role: 'ops' })).body.run.state).toBe('running');
    expect((await api.call('POST', `/api/runs/${runId}/drain`, { role: 'ops' })).body.run.state).toBe('draining');
    const stopped = await api.call('POST', `/api/runs/${runId}/stop`, { role: 'ops' });
    expect(stopped.body).toMatchObject({ run: { state: 'stopped', endedAt: expect.any(String) }, signalled: true });
    await env.client.workflow.getHandle(`run:${runId}`).result();
    expect((await api.call('POST', `/api/runs/${runId}/stop`, { role: 'ops' })).status).toBe(409);
    expect(await auditActions(api, runId)).toEqual(['run.create', 'run.pause', 'run.resume', 'run.drain', 'run.stop']);
    const sends = await api.db.pool.query(
      `SELECT count(*)::int AS n FROM messages WHERE run_id = $1 AND status IN ('sent', 'delivered')`,
      [runId],
    );
    expect(sends.rows[0].n).toBe(0);
  });

  it('a run "at a time" waits as scheduled and starts when due; journey-level controls reach its runs', async () => {
    const startAt = new Date(Date.now() + 3600_000).toISOString();
    const res = await api.call('POST', `/api/journeys/${journeyId}/runs`, { role: 'marketer', body: { startAt } });
    expect(res.body).toMatchObject({ state: 'scheduled', workflowId: null, scheduledFor: startAt });
    const runId = res.body.id as string;
    await expect(env.client.workflow.getHandle(`run:${runId}`).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );

    expect(await startDueRuns(api.deps, new Date())).toEqual([]);
    expect(await startDueRuns(api.deps, new Date(Date.now() + 2 * 3600_000))).toEqual([runId]);
    expect((await env.client.workflow.getHandle(`run:${runId}`).describe()).type).toBe('audienceRun');
    expect((await api.call('GET', `/api/runs/${runId}`)).body.state).toBe('running');

    const paused = await api.call('POST', `/api/journeys/${journeyId}/pause`, { role: 'ops' });
    expect(paused.body).toMatchObject({
      state: 'paused',
      runs: [{ run: { id: runId, state: 'paused' }, signalled: true }],
    });
    expect((await api.call('POST', `/api/journeys/${journeyId}/resume`, { role: 'ops' })).body.state).toBe('published');
    const stopped = await api.call('POST', `/api/journeys/${journeyId}/stop`, { role: 'ops' });
    expect(stopped.body).toMatchObject({ state: 'stopped', runs: [{ run: { state: 'stopped' } }] });
    expect((await api.call('POST', `/api/journeys/${journeyId}/runs`, { role: 'marketer', body: {} })).status).toBe(
      409,
    );
    expect(await auditActions(api, journeyId)).toEqual(
      expect.arrayContaining(['journey.pause', 'journey.resume', 'journey.stop']),
    );
  });

  it('a journey-wide pause passes over a run whose workflow is gone, recording that it ended', async () => {
    const j = (
      await api.call('POST', '/api/journeys', { role: 'marketer', body: { name: 'gone', draft: waitThenSms } })
    ).body.id as string;
    await api.call('POST', `/api/journeys/${j}/publish`, { role: 'marketer', body: {} });
    const live = (await api.call('POST', `/api/journeys/${j}/runs`, { role: 'marketer', body: {} })).body;
    const gone = (
      await api.call('POST', `/api/journeys/${j}/runs`, { role: 'marketer', body: { allowConcurrent: true } })
    ).body;
    await env.client.workflow.getHandle(gone.workflowId).terminate('lost outside Huitou');
    const paused = await api.call('POST', `/api/journeys/${j}/pause`, { role: 'ops' });
    expect(paused.status).toBe(200);
    const byId = Object.fromEntries(
      (paused.body.runs as { run: { id: string; state: string }; signalled: boolean }[]).map((r) => [
        r.run.id,
        [r.run.state, r.signalled],
      ]),
    );
    expect(byId).toEqual({ [live.id]: ['paused', true], [gone.id]: ['completed', false] });
    // A single run's control still says plainly that its workflow is gone.
    expect((await api.call('POST', `/api/runs/${gone.id}/resume`, { role: 'ops' })).status).toBe(409);
    await api.call('POST', `/api/journeys/${j}/stop`, { role: 'ops' });
  });

  it('triggered journeys are not started by hand', async () => {
    const t = await api.call('POST', '/api/templates/paymentReminder/journeys', { role: 'marketer' });
    await api.call('POST', `/api/journeys/${t.body.id}/publish`, { role: 'marketer', body: {} });
    const res = await api.call('POST', `/api/journeys/${t.body.id}/runs`, { role: 'marketer', body: {} });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('not_audience');
  });
});
