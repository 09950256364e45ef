// Campaign writes are idempotent: retries with one Idempotency-Key make one run, one version, one
// schedule and answer alike; a key reused for another request is a 409; a second live run of a
// version is refused unless asked for; an unchanged draft publishes as its existing version; a run
// left pending by a crash is settled by the sweep without a second workflow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEnv } from '../../../engine/src/temporal/test-env.ts';
import { sweepPendingRuns } from '../../../engine/src/runs/sweep.ts';
import { findVersion, insertAudienceRun } from '../../../engine/src/runs/audience-run.ts';
import { insertCustomers } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApiOnTemporal, waitThenSms } from './helpers.ts';

describe(`idempotent campaign writes (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let env: TestEnv;
  let n = 0;

  beforeAll(async () => {
    ({ api, env } = await startTestApiOnTemporal());
    await insertCustomers(api.db.pool, [1, 2, 3]);
  });
  afterAll(async () => api?.close());

  /** A fresh published journey (waitThenSms: its runs stay live for two days). */
  const published = async (): Promise<string> => {
    const id = (
      await api.call('POST', '/api/journeys', { role: 'marketer', body: { name: `idem ${++n}`, draft: waitThenSms } })
    ).body.id as string;
    expect((await api.call('POST', `/api/journeys/${id}/publish`, { role: 'marketer', body: {} })).status).toBe(201);
    return id;
  };
  const withKey = (key: string) => ({ 'idempotency-key': key });
  const runsOf = async (journeyId: string) =>
    (
      await api.db.pool.query<{ id: string; state: string }>(
        'SELECT id, state FROM runs WHERE journey_id = $1 ORDER BY id',
        [journeyId],
      )
    ).rows;
  const versionsOf = async (journeyId: string) =>
    (
      await api.db.pool.query<{ version: number }>(
        'SELECT version FROM journey_versions WHERE journey_id = $1 ORDER BY version',
        [journeyId],
      )
    ).rows.map((r) => r.version);

  it('a retried run start with the same key makes one run and answers the first answer', async () => {
    const j = await published();
    const first = await api.call('POST', `/api/journeys/${j}/runs`, {
      role: 'marketer',
      body: {},
      headers: withKey('k-1'),
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ state: 'running', workflowId: `run:${first.body.id}` });
    const again = await api.call('POST', `/api/journeys/${j}/runs`, {
      role: 'marketer',
      body: {},
      headers: withKey('k-1'),
    });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await runsOf(j)).toEqual([{ id: first.body.id, state: 'running' }]);

    // The same key with another body (or on another journey) is not a retry.
    const other = await api.call('POST', `/api/journeys/${j}/runs`, {
      role: 'marketer',
      body: { allowConcurrent: true },
      headers: withKey('k-1'),
    });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'idempotency_key_reused', path: ['headers', 'idempotency-key'] });
    const elsewhere = await published();
    const moved = await api.call('POST', `/api/journeys/${elsewhere}/runs`, {
      role: 'marketer',
      body: {},
      headers: withKey('k-1'),
    });
    expect(moved.body.error.code).toBe('idempotency_key_reused');
    expect(await runsOf(elsewhere)).toEqual([]);
    // Keys belong to an API key: another principal's k-1 is its own request (here refused: a live run).
    const ops = await api.call('POST', `/api/journeys/${j}/runs`, { role: 'admin', body: {}, headers: withKey('k-1') });
    expect(ops.body.error).toMatchObject({ code: 'run_live', details: { runId: first.body.id } });
    expect(await runsOf(j)).toHaveLength(1);
  });

  it('rejects malformed keys with a 400 before doing anything', async () => {
    const j = await published();
    // Too long, a space, a non-ASCII (Latin-1) byte.
    for (const key of ['x'.repeat(256), 'has space', 'cl\u00e9']) {
      const res = await api.call('POST', `/api/journeys/${j}/runs`, {
        role: 'marketer',
        body: {},
        headers: withKey(key),
      });
      expect(res.status, key).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_idempotency_key', path: ['headers', 'idempotency-key'] });
    }
    expect(await runsOf(j)).toEqual([]);
    const longest = await api.call('POST', `/api/journeys/${j}/runs`, {
      role: 'marketer',
      body: {},
      headers: withKey('~'.repeat(255)),
    });
    expect(longest.status).toBe(201);
  });

  it('ten concurrent starts with one key make one run, one workflow, ten equal answers', async () => {
    const j = await published();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        api.call('POST', `/api/journeys/${j}/runs`, { role: 'marketer', body: {}, headers: withKey('burst') }),
      ),
    );
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    const runs = await runsOf(j);
    expect(runs).toEqual([{ id: answers[0].body.id, state: 'running' }]);
    expect((await env.client.workflow.getHandle(`run:${runs[0].id}`).describe()).status.name).toBe('RUNNING');
  });

  it('ten concurrent starts without a key: one run, nine 409s naming it; allowConcurrent starts another', async () => {
    const j = await published();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => api.call('POST', `/api/journeys/${j}/runs`, { role: 'marketer', body: {} })),
    );
    const created = answers.filter((a) => a.status === 201);
    expect(created).toHaveLength(1);
    for (const refused of answers.filter((a) => a.status !== 201)) {
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({
        code: 'run_live',
        path: ['params', 'id'],
        details: { runId: created[0].body.id },
      });
      expect(refused.body.error.message).toContain(created[0].body.id);
    }
    const second = await api.call('POST', `/api/journeys/${j}/runs`, {
      role: 'marketer',
      body: { allowConcurrent: true },
    });
    expect(second.status).toBe(201);
    expect((await runsOf(j)).map((r) => r.id).sort()).toEqual([created[0].body.id, second.body.id].sort());

    // Once the live runs are stopped, a new run needs nothing special.
    expect((await api.call('POST', `/api/journeys/${j}/stop`, { role: 'ops' })).status).toBe(200);
  });

  it('a run of another version is not refused', async () => {
    const j = await published();
    expect((await api.call('POST', `/api/journeys/${j}/runs`, { role: 'marketer', body: {} })).status).toBe(201);
    const longer = structuredClone(waitThenSms);
    longer.nodes[1].config = { duration: { amount: 3, unit: 'days' } };
    await api.call('PUT', `/api/journeys/${j}/draft`, { role: 'marketer', body: { draft: longer } });
    expect((await api.call('POST', `/api/journeys/${j}/publish`, { role: 'marketer', body: {} })).status).toBe(201);
    expect((await api.call('POST', `/api/journeys/${j}/runs`, { role: 'marketer', body: {} })).status).toBe(201);
    expect((await api.call('POST', `/api/journeys/${j}/runs`, { role: 'marketer', body: { version: 1 } })).status).toBe(
      409,
    );
  });

  it('publishing an unchanged draft answers the existing version (200); ten concurrent publishes of an edit make one', async () => {
    const j = await published();
    const same = await api.call('POST', `/api/journeys/${j}/publish`, { role: 'marketer', body: { notes: 'again' } });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ version: 1, notes: '' }); // the first publish's answer, not the notes sent now
    expect(await versionsOf(j)).toEqual([1]);

    const longer = structuredClone(waitThenSms);
    longer.nodes[1].config = { duration: { amount: 5, unit: 'days' } };
    await api.call('PUT', `/api/journeys/${j}/draft`, { role: 'marketer', body: { draft: longer } });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => api.call('POST', `/api/journeys/${j}/publish`, { role: 'marketer', body: {} })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers[0].body.version).toBe(2);
    expect(await versionsOf(j)).toEqual([1, 2]);
  });

  it('a retried publish with the same key answers its first answer, even after the draft changed', async () => {
    const j = (await api.call('POST', '/api/journeys', { role: 'marketer', body: { name: 'pk', draft: waitThenSms } }))
      .body.id as string;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.call('POST', `/api/journeys/${j}/publish`, { role: 'marketer', body: {}, headers: withKey('pub') }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    const longer = structuredClone(waitThenSms);
    longer.nodes[1].config = { duration: { amount: 4, unit: 'days' } };
    await api.call('PUT', `/api/journeys/${j}/draft`, { role: 'marketer', body: { draft: longer } });
    const retry = await api.call('POST', `/api/journeys/${j}/publish`, {
      role: 'marketer',
      body: {},
      headers: withKey('pub'),
    });
    expect([retry.status, retry.body]).toEqual([201, answers[0].body]);
    expect(await versionsOf(j)).toEqual([1]);
  });

  it('schedules: one per key; an identical one without a key is refused; another rule is not', async () => {
    const j = await published();
    const body = { every: 'day', at: '09:30', timeZone: 'Asia/Shanghai' };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.call('POST', `/api/journeys/${j}/schedules`, { role: 'marketer', body, headers: withKey('sched') }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    const twin = await api.call('POST', `/api/journeys/${j}/schedules`, { role: 'marketer', body });
    expect(twin.status).toBe(409);
    expect(twin.body.error).toMatchObject({ code: 'schedule_exists', details: { scheduleId: answers[0].body.id } });
    const reused = await api.call('POST', `/api/journeys/${j}/schedules`, {
      role: 'marketer',
      body: { ...body, at: '10:00' },
      headers: withKey('sched'),
    });
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect(
      (await api.call('POST', `/api/journeys/${j}/schedules`, { role: 'marketer', body: { ...body, at: '10:00' } }))
        .status,
    ).toBe(201);
    const { rows } = await api.db.pool.query('SELECT at FROM schedules WHERE journey_id = $1 ORDER BY at', [j]);
    expect(rows.map((r) => r.at)).toEqual(['09:30', '10:00']);
    // Deleted, the rule is free again.
    expect((await api.call('DELETE', `/api/schedules/${answers[0].body.id}`, { role: 'marketer' })).status).toBe(200);
    expect((await api.call('POST', `/api/journeys/${j}/schedules`, { role: 'marketer', body })).status).toBe(201);
  });

  it('a retry after a crash between the run row and its workflow goes on with that run', async () => {
    const j = await published();
    const first = await api.call('POST', `/api/journeys/${j}/runs`, {
      role: 'marketer',
      body: {},
      headers: withKey('crash'),
    });
    // What a kill -9 after the commit and before the workflow start leaves: the run pending, no answer stored.
    await api.db.pool.query(`UPDATE runs SET state = 'pending', workflow_id = NULL, started_at = NULL WHERE id = $1`, [
      first.body.id,
    ]);
    await api.db.pool.query(`UPDATE idempotency_keys SET status = NULL, response = NULL WHERE key = 'crash'`);
    const retry = await api.call('POST', `/api/journeys/${j}/runs`, {
      role: 'marketer',
      body: {},
      headers: withKey('crash'),
    });
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ id: first.body.id, state: 'running', workflowId: `run:${first.body.id}` });
    expect(await runsOf(j)).toEqual([{ id: first.body.id, state: 'running' }]);
  });

  it('the sweep starts a pending run with no workflow, records one that has one, and leaves young ones', async () => {
    const j = await published();
    const version = await findVersion(api.db.pool, j);
    if (!version) throw new Error('no version');
    const orphan = (await insertAudienceRun(api.db.pool, { journeyId: j, version })) as string;
    // Started, then the process died before recording it.
    const started = await api.call('POST', `/api/journeys/${j}/runs`, {
      role: 'marketer',
      body: { allowConcurrent: true },
    });
    await api.db.pool.query(`UPDATE runs SET state = 'pending', workflow_id = NULL, started_at = NULL WHERE id = $1`, [
      started.body.id,
    ]);
    expect(await sweepPendingRuns(api.deps, { graceMs: 60_000 })).toEqual([]);
    // A row another transaction holds (the started run's own workflow writing its snapshot) is
    // skipped (SKIP LOCKED) and settled by a later tick: sweep as ticks would, until both are.
    const swept: Awaited<ReturnType<typeof sweepPendingRuns>> = [];
    for (let tick = 0; tick < 20 && swept.filter((s) => [orphan, started.body.id].includes(s.id)).length < 2; tick++) {
      if (tick > 0) await new Promise((r) => setTimeout(r, 250));
      swept.push(...(await sweepPendingRuns(api.deps, { graceMs: 0 })));
    }
    expect(
      swept.filter((s) => [orphan, started.body.id].includes(s.id)).sort((a, b) => a.id.localeCompare(b.id)),
    ).toEqual(
      [
        { id: orphan, outcome: 'running' },
        { id: started.body.id, outcome: 'running' },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(await runsOf(j)).toEqual([orphan, started.body.id].sort().map((id) => ({ id, state: 'running' })));
    for (const id of [orphan, started.body.id])
      expect((await env.client.workflow.getHandle(`run:${id}`).describe()).status.name).toBe('RUNNING');
    const { rows } = await api.db.pool.query(`SELECT count(*)::int AS n FROM runs WHERE state = 'pending'`);
    expect(rows[0].n).toBe(0);
  });

  it('a pending run whose plan no longer loads fails with the reason', async () => {
    const j = await published();
    // Read and inserted by SQL: loading the plan here would cache it (checked) before it is tampered with.
    const { rows: versions } = await api.db.pool.query<{ id: string }>(
      'SELECT id FROM journey_versions WHERE journey_id = $1',
      [j],
    );
    // A version whose stored hash no longer matches its plan (the immutability trigger is set aside to make one).
    await api.db.pool.query('ALTER TABLE journey_versions DISABLE TRIGGER USER');
    try {
      await api.db.pool.query(`UPDATE journey_versions SET plan_hash = 'tampered' WHERE id = $1`, [versions[0].id]);
    } finally {
      await api.db.pool.query('ALTER TABLE journey_versions ENABLE TRIGGER USER');
    }
    const { rows } = await api.db.pool.query<{ id: string }>(
      `INSERT INTO runs (journey_id, version_id, kind, state) VALUES ($1, $2, 'audience', 'pending') RETURNING id`,
      [j, versions[0].id],
    );
    const run = rows[0].id;
    expect((await sweepPendingRuns(api.deps, { graceMs: 0 })).find((s) => s.id === run)).toEqual({
      id: run,
      outcome: 'failed_to_start',
    });
    expect((await runsOf(j)).map((r) => r.state)).toEqual(['failed_to_start']);
    const audit = await api.db.pool.query(
      `SELECT details FROM audit_log WHERE entity_id = $1 AND action = 'run.sweep'`,
      [run],
    );
    expect(audit.rows[0].details).toMatchObject({ state: 'failed_to_start', reason: expect.stringContaining('hash') });
    await expect(env.client.workflow.getHandle(`run:${run}`).describe()).rejects.toThrow();
  });
});
