// The home page's lists: journeys with their figures (current run, people in, messages sent),
// search, the archived filter, pages with a total; unarchive; runs across journeys with filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi, waitThenSms } from './helpers.ts';

interface Listed {
  id: string;
  name: string;
  state: string;
  figures: {
    currentRun: { id: string; state: string } | null;
    peopleIn: number;
    messagesSent: number;
    runCount: number;
  };
}

describe(`home lists API (${describeEngine('configured')})`, () => {
  let api: TestApi;
  const ids: Record<'draft' | 'live' | 'archived' | 'other', string> = { draft: '', live: '', archived: '', other: '' };
  const runIds: Record<'ended' | 'current' | 'otherOld' | 'otherNew', string> = {
    ended: '',
    current: '',
    otherOld: '',
    otherNew: '',
  };

  const create = async (name: string, publish: boolean) => {
    const made = await api.call('POST', '/api/journeys', {
      role: 'marketer',
      body: { name, draft: { ...waitThenSms, name } },
    });
    expect(made.status).toBe(201);
    if (publish)
      expect(
        (await api.call('POST', `/api/journeys/${made.body.id}/publish`, { role: 'marketer', body: {} })).status,
      ).toBe(201);
    return made.body.id as string;
  };
  /** A run of the journey's version 1 in a given state, created at a given instant. */
  const insertRun = async (journeyId: string, state: string, createdAt: string) => {
    const { rows } = await api.db.pool.query<{ id: string }>(
      `INSERT INTO runs (journey_id, version_id, kind, state, created_at)
       SELECT $1, v.id, 'audience', $2, $3 FROM journey_versions v WHERE v.journey_id = $1 AND v.version = 1 RETURNING id`,
      [journeyId, state, createdAt],
    );
    return rows[0].id;
  };
  const insertMembers = (runId: string, active: number, exited: number) =>
    api.db.pool.query(
      `INSERT INTO run_members (run_id, customer_id, shard, holdout, exited_at, exit_reason)
       SELECT $1, g, 0, false, CASE WHEN g > $2 THEN now() END, CASE WHEN g > $2 THEN 'completed' END
       FROM generate_series(1, $2::int + $3::int) g`,
      [runId, active, exited],
    );
  const insertMessages = (runId: string, statuses: readonly string[]) =>
    api.db.pool.query(
      `INSERT INTO messages (message_key, run_id, node_id, class, status, skip_reason)
       SELECT $1 || '/' || i, $1::uuid, 'tip', 'marketing', s, CASE WHEN s = 'skipped' THEN 'opted_out' END
       FROM unnest($2::text[]) WITH ORDINALITY AS u(s, i)`,
      [runId, statuses],
    );
  const list = async (query: string) => {
    const res = await api.call('GET', `/api/journeys${query}`, { role: 'viewer' });
    expect(res.status).toBe(200);
    return res.body as { journeys: Listed[]; total: number };
  };

  beforeAll(async () => {
    api = await startTestApi();
    ids.draft = await create('Alpha 上新提醒', false);
    ids.live = await create('Beta 回购 100%', true);
    ids.archived = await create('Gamma 旧活动', true);
    ids.other = await create('Delta 催付', true);
    expect((await api.call('POST', `/api/journeys/${ids.archived}/archive`, { role: 'marketer' })).status).toBe(200);

    runIds.ended = await insertRun(ids.live, 'completed', '2026-11-01T02:00:00Z');
    await insertMembers(runIds.ended, 4, 1); // an ended run's members are not "in" any more
    await insertMessages(runIds.ended, ['sent', 'undelivered', 'skipped', 'pending', 'failed']);
    runIds.current = await insertRun(ids.live, 'running', '2026-11-10T02:00:00Z');
    await insertMembers(runIds.current, 2, 1);
    await insertMessages(runIds.current, ['delivered']);
    runIds.otherOld = await insertRun(ids.other, 'stopped', '2026-10-01T02:00:00Z');
    runIds.otherNew = await insertRun(ids.other, 'scheduled', '2026-11-20T02:00:00Z');
  });
  afterAll(async () => api?.close());

  it('lists journeys with their current run, people in and messages sent', async () => {
    const { journeys, total } = await list('');
    expect(total).toBe(4);
    expect(new Set(journeys.map((j) => j.id))).toEqual(new Set(Object.values(ids)));
    const byId = new Map(journeys.map((j) => [j.id, j]));
    expect(byId.get(ids.live)?.figures).toEqual({
      currentRun: { id: runIds.current, state: 'running', startedAt: null },
      peopleIn: 2,
      messagesSent: 3,
      runCount: 2,
    });
    expect(byId.get(ids.draft)).toMatchObject({
      state: 'draft',
      figures: { currentRun: null, peopleIn: 0, messagesSent: 0, runCount: 0 },
    });
    // A scheduled run has not ended: it is the journey's current run.
    expect(byId.get(ids.other)?.figures.currentRun).toMatchObject({ id: runIds.otherNew, state: 'scheduled' });
  });

  it('filters by name (literally) and by archived, last edited first, in pages with a total', async () => {
    expect((await list(`?q=${encodeURIComponent('beta')}`)).journeys.map((j) => j.id)).toEqual([ids.live]);
    // % is a character to find, not a wildcard.
    expect((await list(`?q=${encodeURIComponent('100%')}`)).journeys.map((j) => j.id)).toEqual([ids.live]);
    expect((await list(`?q=${encodeURIComponent('%')}`)).total).toBe(1);
    const hidden = await list('?archived=false');
    expect(hidden.total).toBe(3);
    expect(hidden.journeys.map((j) => j.id)).not.toContain(ids.archived);
    expect((await list('?archived=true')).journeys.map((j) => j.id)).toEqual([ids.archived]);

    // Editing a journey brings it to the top.
    const edited = await api.call('PUT', `/api/journeys/${ids.draft}/draft`, {
      role: 'marketer',
      body: { draft: { ...waitThenSms, name: 'Alpha 上新提醒' } },
    });
    expect(edited.status).toBe(200);
    const first = await list('?limit=2');
    expect(first.total).toBe(4);
    expect(first.journeys).toHaveLength(2);
    expect(first.journeys[0].id).toBe(ids.draft);
    const second = await list('?limit=2&offset=2');
    expect(second.total).toBe(4);
    expect(new Set([...first.journeys, ...second.journeys].map((j) => j.id))).toEqual(new Set(Object.values(ids)));
    const past = await list('?limit=2&offset=10');
    expect(past).toEqual({ journeys: [], total: 4 });
  });

  it('refuses bad list queries with the field', async () => {
    const bad = await api.call('GET', '/api/journeys?archived=maybe', { role: 'viewer' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toEqual(['query', 'archived']);
    const offset = await api.call('GET', '/api/runs?offset=-1', { role: 'viewer' });
    expect(offset.status).toBe(400);
    expect(offset.body.error.path).toEqual(['query', 'offset']);
    const from = await api.call('GET', '/api/runs?from=yesterday', { role: 'viewer' });
    expect(from.status).toBe(400);
    expect(from.body.error.path).toEqual(['query', 'from']);
    const backwards = await api.call(
      'GET',
      `/api/runs?from=${encodeURIComponent('2026-11-10T00:00:00Z')}&to=${encodeURIComponent('2026-11-01T00:00:00Z')}`,
      { role: 'viewer' },
    );
    expect(backwards.status).toBe(422);
    expect(backwards.body.error.path).toEqual(['query', 'to']);
  });

  it('unarchives a journey back to the state it was archived from', async () => {
    expect((await api.call('POST', `/api/journeys/${ids.archived}/unarchive`, { role: 'viewer' })).status).toBe(403);
    const back = await api.call('POST', `/api/journeys/${ids.archived}/unarchive`, { role: 'marketer' });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ id: ids.archived, state: 'published', archivedAt: null });
    const again = await api.call('POST', `/api/journeys/${ids.archived}/unarchive`, { role: 'marketer' });
    expect(again.status).toBe(409);
    expect((await list('?archived=true')).total).toBe(0);
    const actions = await api.db.pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'journey.%archive' ORDER BY id`,
      [ids.archived],
    );
    expect(actions.rows.map((r) => r.action)).toEqual(['journey.archive', 'journey.unarchive']);
  });

  it('lists runs across journeys with their journey names, filters and pages', async () => {
    const runs = async (query: string) => {
      const res = await api.call('GET', `/api/runs${query}`, { role: 'viewer' });
      expect(res.status).toBe(200);
      return res.body as { runs: { id: string; journeyName: string; state: string }[]; total: number };
    };
    const all = await runs('');
    expect(all.total).toBe(4);
    expect(all.runs.map((r) => r.id)).toEqual([runIds.otherNew, runIds.current, runIds.ended, runIds.otherOld]);
    expect(all.runs[1]).toMatchObject({ journeyName: 'Beta 回购 100%', state: 'running' });

    const page2 = await runs('?limit=3&offset=3');
    expect(page2).toMatchObject({ total: 4, runs: [{ id: runIds.otherOld, journeyName: 'Delta 催付' }] });
    expect((await runs(`?journeyId=${ids.live}`)).runs.map((r) => r.id)).toEqual([runIds.current, runIds.ended]);
    expect((await runs('?state=scheduled')).runs.map((r) => r.id)).toEqual([runIds.otherNew]);
    const november = await runs(
      `?from=${encodeURIComponent('2026-11-01T02:00:00Z')}&to=${encodeURIComponent('2026-11-20T02:00:00Z')}`,
    );
    // from is inclusive, to exclusive.
    expect(november).toMatchObject({ total: 2 });
    expect(november.runs.map((r) => r.id)).toEqual([runIds.current, runIds.ended]);
    expect(await runs(`?journeyId=${ids.draft}&offset=5`)).toEqual({ runs: [], total: 0 });
  });
});
