// Outbound webhooks carry Standard Webhooks signatures a receiver can check with the secret it got
// from the API; a rotation takes effect on the next delivery.
import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CohortRef } from '../../../activities/src/contract.ts';
import { createSideEffectActivities, localSinkProvider } from '../../../activities/src/side-effects/index.ts';
import type { TestApi } from '../api/helpers.ts';
import { startTestApi } from '../api/helpers.ts';
import { insertCustomers, insertRun } from '../db/fixtures.ts';
import type { Peer } from './helpers.ts';
import { json, never, nodeCall, shanghai, startPeer } from './helpers.ts';

const NOON = shanghai('2026-11-12T12:00:00');

/** What a receiver's Standard Webhooks library does, written here from the specification. */
function receiverAccepts(secret: string, headers: IncomingHttpHeaders, raw: string): boolean {
  const id = String(headers['webhook-id']);
  const timestamp = String(headers['webhook-timestamp']);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${raw}`).digest('base64');
  return String(headers['webhook-signature'])
    .split(' ')
    .some((s) => s === `v1,${expected}`);
}

describe('signed outbound webhooks', () => {
  let api: TestApi;
  let ref: CohortRef;
  let hook: Peer;
  const acts = () =>
    createSideEffectActivities({
      pool: api.db.pool,
      provider: localSinkProvider(api.db.pool),
      now: never,
      batchSize: 2,
      webhook: { timeoutMs: 2_000, attempts: 3, backoffMs: 10 },
    });
  const deliver = (nodeId: string) => {
    const call = nodeCall(
      'action.webhook',
      { url: 'https://crm.example.com/hook', batchSize: 2 },
      { ref, nodeId, now: NOON },
    );
    call.params = { ...call.params, url: hook.url }; // the test peer is plain http on loopback
    return acts().callWebhook(call);
  };

  beforeAll(async () => {
    api = await startTestApi();
    await insertCustomers(api.db.pool, [1, 2, 3]);
    const runId = await insertRun(
      api.db.pool,
      [1, 2, 3].map((customerId) => ({ customerId, shard: 0, holdout: false })),
    );
    ref = { runId, shard: 0, cohort: 'root' };
    hook = await startPeer((_b, i, res) => (i === 1 ? json(res, 503, {}) : json(res, 200, { ok: true })));
  });
  afterAll(async () => {
    await hook?.close();
    await api?.close();
  });

  it('signs every attempt with the endpoint secret; a retry keeps its webhook-id', async () => {
    const got = await api.call('POST', '/api/webhooks/endpoints/secret', { role: 'engineer', body: { url: hook.url } });
    expect(got.status).toBe(200);
    const secret = got.body.secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);

    expect(await deliver('signed')).toMatchObject({ done: 3 });
    expect(hook.requests).toHaveLength(3); // [1,2], [3] refused with 503, [3] again
    for (const r of hook.requests) expect(receiverAccepts(secret, r.headers, r.raw)).toBe(true);
    expect(hook.requests[1]?.headers['webhook-id']).toBe(hook.requests[2]?.headers['webhook-id']);
    expect(hook.requests[0]?.headers['webhook-id']).not.toBe(hook.requests[1]?.headers['webhook-id']);
    expect(hook.requests[1]?.headers['webhook-id']).toBe(hook.requests[1]?.headers['idempotency-key']);
    // A tampered body does not verify.
    const first = hook.requests[0] as Peer['requests'][number];
    expect(receiverAccepts(secret, first.headers, first.raw.replace('"customers"', '"customers" '))).toBe(false);
  });

  it('rotation: the next delivery verifies with the new secret only; secrets never listed', async () => {
    const rotated = await api.call('POST', '/api/webhooks/endpoints/rotate', {
      role: 'engineer',
      body: { url: hook.url },
    });
    expect(rotated.status).toBe(200);
    const before = hook.requests.length;
    expect(await deliver('after-rotation')).toMatchObject({ done: 3 });
    const fresh = hook.requests.slice(before);
    expect(fresh.length).toBeGreaterThan(0);
    for (const r of fresh) expect(receiverAccepts(rotated.body.secret as string, r.headers, r.raw)).toBe(true);
    const old = hook.requests[0] as Peer['requests'][number];
    expect(receiverAccepts(rotated.body.secret as string, old.headers, old.raw)).toBe(false);

    const list = await api.call('GET', '/api/webhooks/endpoints', { role: 'engineer' });
    expect(list.body.endpoints).toEqual([
      { url: hook.url, createdAt: expect.any(String), rotatedAt: expect.any(String) },
    ]);
    expect(list.text).not.toContain('whsec_');
    const audit = await api.db.pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE action LIKE 'webhook.secret.%' ORDER BY id`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['webhook.secret.read', 'webhook.secret.rotate']);
  });

  it('only engineers and admins see secrets; a bad URL is a 400 naming the field', async () => {
    expect(
      (await api.call('POST', '/api/webhooks/endpoints/secret', { role: 'marketer', body: { url: hook.url } })).status,
    ).toBe(403);
    const bad = await api.call('POST', '/api/webhooks/endpoints/secret', {
      role: 'engineer',
      body: { url: 'ftp://x' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toEqual(['body', 'url']);
  });
});
