// lastUsedAt of API keys: written after authenticated requests, at most once a minute per key
// (batched, never one UPDATE per request), and listed by GET /api/keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_USAGE_INTERVAL_MS } from '../../../engine/src/api/key-usage.ts';
import { hashKey } from '../../../engine/src/api/auth.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

describe(`API keys' lastUsedAt (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let clock = new Date('2026-03-01T08:00:00.000Z');
  beforeAll(async () => {
    api = await startTestApi({ now: () => clock });
  });
  afterAll(async () => api?.close());

  const lastUsed = async (key: string): Promise<Date | null> => {
    const { rows } = await api.db.pool.query<{ last_used_at: Date | null }>(
      'SELECT last_used_at FROM api_keys WHERE key_hash = $1',
      [hashKey(key)],
    );
    return rows[0].last_used_at;
  };
  /** Written after the answer, in the next turn: wait for it (bounded). */
  const until = async (key: string, expected: Date) => {
    for (let i = 0; i < 200 && (await lastUsed(key))?.getTime() !== expected.getTime(); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect((await lastUsed(key))?.toISOString()).toBe(expected.toISOString());
  };

  it('is null until a key is used, then the time of the use', async () => {
    expect(await lastUsed(api.keys.viewer)).toBeNull();
    const first = clock;
    const answers = await Promise.all(
      Array.from({ length: 25 }, () => api.call('GET', '/api/journeys', { role: 'viewer' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(25).fill(200));
    await until(api.keys.viewer, first);
  });

  it('is not written again within the minute, and is after it', async () => {
    const written = (await lastUsed(api.keys.viewer))!;
    clock = new Date(written.getTime() + KEY_USAGE_INTERVAL_MS - 1000);
    expect((await api.call('GET', '/api/journeys', { role: 'viewer' })).status).toBe(200);
    // The ops key's first use is written after the viewer's use was (or was not) recorded.
    expect((await api.call('GET', '/api/journeys', { role: 'ops' })).status).toBe(200);
    await until(api.keys.ops, clock);
    expect(await lastUsed(api.keys.viewer)).toEqual(written);

    clock = new Date(written.getTime() + KEY_USAGE_INTERVAL_MS);
    expect((await api.call('GET', '/api/journeys', { role: 'viewer' })).status).toBe(200);
    await until(api.keys.viewer, clock);
  });

  it('is not touched by a rejected key, and GET /api/keys lists it', async () => {
    const before = await lastUsed(api.keys.engineer);
    expect(before).toBeNull();
    const wrong = await api.call('GET', '/api/journeys', { key: `${api.keys.engineer}x` });
    expect(wrong.status).toBe(401);
    // A forbidden request still used the key: it authenticated.
    expect((await api.call('GET', '/api/keys', { role: 'engineer' })).status).toBe(403);
    await until(api.keys.engineer, clock);

    const list = await api.call('GET', '/api/keys');
    expect(list.status).toBe(200);
    const byName = new Map(
      (list.body.keys as { name: string; lastUsedAt: string | null }[]).map((k) => [k.name, k.lastUsedAt]),
    );
    expect(byName.get('viewer')).toBe(clock.toISOString());
    expect(byName.get('engineer')).toBe(clock.toISOString());
    expect(byName.get('marketer')).toBeNull();
  });
});
