// Drafts, validation, publishing immutable versions, archive, the template gallery; the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyTemplates, planHash } from '@huitou/schemas';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { auditActions, startTestApi, waitThenSms } from './helpers.ts';

describe(`journeys API (${describeEngine('configured')})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.close());

  it('creates, edits, validates and publishes a journey; versions are immutable', async () => {
    const created = await api.call('POST', '/api/journeys', { role: 'marketer', body: { name: '上新提醒' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: '上新提醒',
      kind: 'audience',
      state: 'draft',
      latestVersion: null,
      draft: { nodes: [] },
    });
    const id = created.body.id as string;

    // An empty draft is not publishable: the compiler's errors, nothing written.
    const invalid = await api.call('POST', `/api/journeys/${id}/validate`, { role: 'marketer' });
    expect(invalid.status).toBe(200);
    expect(invalid.body.ok).toBe(false);
    expect(invalid.body.errors[0]).toMatchObject({
      code: expect.any(String),
      path: expect.any(Array),
      message: { zh: expect.any(String), en: expect.any(String) },
    });
    const refused = await api.call('POST', `/api/journeys/${id}/publish`, { role: 'marketer', body: {} });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'journey_invalid', details: { errors: expect.any(Array) } });
    expect((await api.db.pool.query('SELECT count(*)::int AS n FROM journey_versions')).rows[0].n).toBe(0);
    expect(await auditActions(api, id)).toEqual(['journey.create']);

    // Validating a graph sent in the body, with a node-level error pinned to its path.
    const broken = structuredClone(waitThenSms);
    broken.nodes[1].config = { duration: { amount: -1, unit: 'days' } };
    const pinned = await api.call('POST', `/api/journeys/${id}/validate`, { role: 'viewer', body: { draft: broken } });
    expect(pinned.body.ok).toBe(false);
    expect(pinned.body.errors.some((e: { nodeId?: string }) => e.nodeId === 'wait')).toBe(true);

    const edited = await api.call('PUT', `/api/journeys/${id}/draft`, {
      role: 'marketer',
      body: { draft: waitThenSms },
    });
    expect(edited.status).toBe(200);
    expect((await api.call('POST', `/api/journeys/${id}/validate`, { role: 'marketer' })).body).toMatchObject({
      ok: true,
      errors: [],
    });

    const v1 = await api.call('POST', `/api/journeys/${id}/publish`, {
      role: 'marketer',
      body: { notes: 'first cut' },
    });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({
      version: 1,
      notes: 'first cut',
      planHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // A changed draft makes a new version (an unchanged one answers the existing version: idempotency.test.ts).
    const longer = {
      ...waitThenSms,
      nodes: waitThenSms.nodes.map((n) =>
        n.id === 'wait' ? { ...n, config: { duration: { amount: 3, unit: 'days' } } } : n,
      ),
    };
    expect(
      (await api.call('PUT', `/api/journeys/${id}/draft`, { role: 'marketer', body: { draft: longer } })).status,
    ).toBe(200);
    const v2 = await api.call('POST', `/api/journeys/${id}/publish`, { role: 'admin', body: {} });
    expect(v2.body.version).toBe(2);

    const versions = await api.call('GET', `/api/journeys/${id}/versions`, { role: 'viewer' });
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const detail = await api.call('GET', `/api/journeys/${id}/versions/1`, { role: 'viewer' });
    expect(detail.body.plan.hash).toBe(v1.body.planHash);
    expect(planHash(detail.body.plan)).toBe(v1.body.planHash);
    await expect(
      api.db.pool.query(`UPDATE journey_versions SET notes = 'changed' WHERE id = $1`, [v1.body.id]),
    ).rejects.toThrow(/immutable/);

    const journey = await api.call('GET', `/api/journeys/${id}`, { role: 'viewer' });
    expect(journey.body).toMatchObject({ state: 'published', latestVersion: 2 });
    expect(await auditActions(api, id)).toEqual([
      'journey.create',
      'journey.edit',
      'journey.publish',
      'journey.edit',
      'journey.publish',
    ]);

    expect((await api.call('POST', `/api/journeys/${id}/archive`, { role: 'marketer' })).status).toBe(200);
    expect(
      (await api.call('PUT', `/api/journeys/${id}/draft`, { role: 'marketer', body: { draft: waitThenSms } })).status,
    ).toBe(409);
    expect((await api.call('POST', `/api/journeys/${id}/runs`, { role: 'marketer', body: {} })).status).toBe(409);
  });

  it('lists the template gallery and creates a publishable draft from a template in one call', async () => {
    const gallery = await api.call('GET', '/api/templates', { role: 'viewer' });
    expect(gallery.body.templates.map((t: { id: string }) => t.id).sort()).toEqual(
      Object.keys(journeyTemplates).sort(),
    );
    expect(gallery.body.templates.find((t: { id: string }) => t.id === 'paymentReminder').kind).toBe('triggered');

    const created = await api.call('POST', '/api/templates/newBuyer1111/journeys', {
      role: 'marketer',
      body: { name: '11.11 新客 2026' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: '11.11 新客 2026',
      kind: 'audience',
      draft: { name: '11.11 新客 2026' },
    });
    const published = await api.call('POST', `/api/journeys/${created.body.id}/publish`, {
      role: 'marketer',
      body: { notes: 'from template' },
    });
    expect(published.status).toBe(201);
    expect((await api.call('POST', '/api/templates/nope/journeys', { role: 'marketer' })).status).toBe(404);
    expect((await api.call('POST', '/api/templates/__proto__/journeys', { role: 'marketer' })).status).toBe(404);
  });

  it('SQL-injection strings in filters and ids are just strings', async () => {
    const before = (await api.db.pool.query('SELECT count(*)::int AS n FROM journeys')).rows[0].n;
    for (const evil of [
      `' OR 1=1 --`,
      `x'; DROP TABLE journeys; --`,
      `%' UNION SELECT key_hash FROM api_keys --`,
      `\\`,
      `%_%`,
    ]) {
      const q = await api.call('GET', `/api/journeys?q=${encodeURIComponent(evil)}`);
      expect(q.status).toBe(200);
      expect(q.body.journeys).toEqual([]);
      expect((await api.call('GET', `/api/journeys?state=${encodeURIComponent(evil)}`)).status).toBe(400);
      expect((await api.call('GET', `/api/journeys/${encodeURIComponent(evil)}`)).status).toBe(404);
      expect((await api.call('GET', `/api/runs?journeyId=${encodeURIComponent(evil)}`)).body).toEqual({
        runs: [],
        total: 0,
      });
      expect((await api.call('GET', `/api/audit?entityId=${encodeURIComponent(evil)}`)).body).toMatchObject({
        total: 0,
        entries: [],
      });
    }
    expect((await api.db.pool.query('SELECT count(*)::int AS n FROM journeys')).rows[0].n).toBe(before);
    // A literal match still works: the name filter escapes LIKE wildcards instead of dropping them.
    expect((await api.call('GET', `/api/journeys?q=${encodeURIComponent('11.11')}`)).body.journeys).toHaveLength(1);
  });
});
