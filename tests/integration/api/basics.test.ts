// The app's contract: structured errors for bad input, auth, the OpenAPI document and its page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_CACHE_MS, ensureAdminKey, hashKey } from '../../../engine/src/api/auth.ts';
import { maskPhones } from '../../../engine/src/api/log.ts';
import { apiRoutes } from '../../../engine/src/api/routes/index.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

describe(`API basics (${describeEngine('configured')})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.close());

  it('creates the first admin key once and stores only its hash', async () => {
    expect(await ensureAdminKey(api.db.pool)).toBeNull();
    const { rows } = await api.db.pool.query<{ key_hash: string; role: string }>('SELECT key_hash, role FROM api_keys');
    expect(rows.map((r) => r.key_hash)).toContain(hashKey(api.keys.admin));
    expect(JSON.stringify(rows)).not.toContain(api.keys.admin);
    expect((await api.db.pool.query(`SELECT actor, action FROM audit_log WHERE action = 'key.create'`)).rows).toEqual([
      { actor: 'system', action: 'key.create' },
    ]);
  });

  it('answers 401 without a key, with a malformed header or an unknown key', async () => {
    const variants: Record<string, string>[] = [
      {},
      { authorization: 'Basic abc' },
      { authorization: 'Bearer hk_nope' },
    ];
    for (const headers of variants) {
      const res = await api.call('GET', '/api/journeys', { role: null, headers });
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({
        status: 401,
        code: 'unauthenticated',
        path: ['headers', 'authorization'],
      });
    }
  });

  it('revoked keys stop working', async () => {
    const created = await api.call('POST', '/api/keys', { body: { name: 'temp', role: 'viewer' } });
    expect(created.status).toBe(201);
    expect((await api.call('GET', '/api/journeys', { key: created.body.key })).status).toBe(200);
    expect((await api.call('DELETE', `/api/keys/${created.body.id}`)).status).toBe(200);
    expect((await api.call('GET', '/api/journeys', { key: created.body.key })).status).toBe(401);
    const list = await api.call('GET', '/api/keys');
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
  });

  it('a key revoked by another engine process stops working once the cache lets it go', async () => {
    const created = await api.call('POST', '/api/keys', { body: { name: 'elsewhere', role: 'viewer' } });
    expect((await api.call('GET', '/api/journeys', { key: created.body.key })).status).toBe(200);
    // Another process revokes it: this one's cache has not been told.
    await api.db.pool.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [created.body.id]);
    await expect
      .poll(async () => (await api.call('GET', '/api/journeys', { key: created.body.key })).status, {
        timeout: KEY_CACHE_MS * 5,
        interval: 100,
      })
      .toBe(401);
  });

  it('malformed JSON is a 400 and nothing is stored', async () => {
    const res = await api.call('POST', '/api/journeys', { raw: '{"name": "x",', role: 'marketer' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { status: 400, code: 'malformed_json', path: ['body'], message: expect.any(String) },
    });
    expect((await api.db.pool.query('SELECT count(*)::int AS n FROM journeys')).rows[0].n).toBe(0);
  });

  it('an oversize body is a 413', async () => {
    const res = await api.call('POST', '/api/journeys', {
      body: { name: 'big', draft: { blob: 'x'.repeat(100_000) } },
      role: 'marketer',
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('body_too_large');
  });

  it('wrong types and unknown fields are 400s with the field path', async () => {
    const wrong = await api.call('POST', '/api/journeys', { body: { name: 42 }, role: 'marketer' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'invalid_request', path: ['body', 'name'] });
    const unknown = await api.call('POST', '/api/journeys', { body: { name: 'ok', admin: true }, role: 'marketer' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_field', path: ['body', 'admin'] });
    const query = await api.call('GET', '/api/journeys?limit=lots');
    expect(query.body.error).toMatchObject({ status: 400, path: ['query', 'limit'] });
    const unknownQuery = await api.call('GET', '/api/journeys?sort=name');
    expect(unknownQuery.body.error).toMatchObject({ status: 400, code: 'unknown_field', path: ['query', 'sort'] });
  });

  it('a body that is not JSON is a 415', async () => {
    const res = await api.call('POST', '/api/journeys', {
      raw: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      role: 'marketer',
    });
    expect(res.status).toBe(415);
  });

  it("lists the worker's activities once each: built-in, and custom ones with or without a palette node", async () => {
    const res = await api.call('GET', '/api/activities', { role: 'engineer' });
    expect(res.status).toBe(200);
    expect(res.body.builtIn).toEqual(expect.arrayContaining(['sendSms', 'issueCoupon', 'snapshotAudience']));
    expect(res.body.builtIn).not.toContain('awardPoints');
    // The shipped custom activities: the example node's, and the e-mail channel written as one.
    expect(res.body.custom.map((a: { name: string }) => a.name).sort()).toEqual(['awardPoints', 'sendEmail']);
    expect(res.body.builtIn).not.toContain('sendEmail');
  });

  it('unknown routes and ids are 404s', async () => {
    expect((await api.call('GET', '/api/nope')).body.error).toMatchObject({ status: 404, code: 'not_found' });
    // The answer names no part of the path: a path can carry a phone number.
    expect(JSON.stringify((await api.call('GET', '/api/customers/13812345678')).body)).not.toContain('13812345678');
    expect((await api.call('GET', '/api/journeys/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await api.call('GET', '/api/journeys/not-a-uuid')).body.error).toMatchObject({
      status: 404,
      path: ['params', 'id'],
    });
  });

  it('serves an OpenAPI 3.1 document generated from the routes, and a page listing them', async () => {
    const doc = await api.call('GET', '/api/openapi.json', { role: null });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    for (const r of apiRoutes()) {
      const op = doc.body.paths[r.path.replace(/:(\w+)/g, '{$1}')]?.[r.method];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      expect(op['x-roles']).toContain('admin');
    }
    const create = doc.body.paths['/api/journeys'].post;
    expect(create.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: { name: { type: 'string' } },
    });
    expect(doc.body.paths['/api/events'].post.requestBody.content['application/json'].schema.anyOf).toHaveLength(2);
    const page = await api.call('GET', '/api/docs', { role: null });
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('/api/journeys/{id}/publish');
    expect(page.text).not.toMatch(/<script|https?:\/\/(?!127)/);
  });

  it('masks phone numbers in log lines', async () => {
    expect(maskPhones('opt-out for +8613812345678 and 13912345678')).toBe('opt-out for +86****5678 and ****5678');
    await api.call('POST', '/api/opt-outs', { body: { phone: '+8613812345678', text: 'T' }, role: 'engineer' });
    await api.call('GET', '/api/runs?journeyId=13812345678');
    expect(api.logs.join('\n')).not.toContain('13812345678');
    expect(api.logs.join('\n')).toContain('+86****5678');
  });
});
