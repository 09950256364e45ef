// Event intake isolation: a request's outcome depends only on its own content. Poisoned requests
// (NUL, lone surrogates, deep or huge payloads, out-of-range instants, over-long batches) are
// refused with a 400 naming their own field before they join a shared statement; and should a
// shared statement fail anyway, its requests are retried one by one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../engine/src/api/auth.ts';
import { createEventIntake } from '../../../engine/src/events/intake.ts';
import type { IncomingEvent } from '../../../engine/src/events/intake.ts';
import { insertCustomers } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

const at = '2026-11-11T10:00:00+08:00';
const event = (key: string, customerId = 1, extra: Partial<IncomingEvent> = {}): IncomingEvent => ({
  idempotencyKey: key,
  type: 'order_paid',
  customerId,
  occurredAt: at,
  ...extra,
});
const deep = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i += 1) v = { x: v };
  return v;
};

describe(`event intake isolation (${describeEngine('configured')})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ bodyLimit: '1mb' }); // room for an over-long batch
    await insertCustomers(api.db.pool, [1, 2, 3]);
  });
  afterAll(async () => api?.close());

  const storedKeys = async (prefix: string) =>
    (
      await api.db.pool.query<{ k: string }>('SELECT idempotency_key AS k FROM events WHERE idempotency_key LIKE $1', [
        `${prefix}%`,
      ])
    ).rows
      .map((r) => r.k)
      .sort();

  it('refuses each poisoned request with its own field while the valid ones of the same turn are stored', async () => {
    const post = (body: unknown) => api.call('POST', '/api/events', { role: 'engineer', body });
    const poisoned: { body: unknown; path: (string | number)[] }[] = [
      { body: event('p:nul', 1, { payload: { note: 'a\u0000b' } }), path: ['body', 'payload', 'note'] },
      { body: event('p:sur', 1, { payload: { note: 'a\ud800b' } }), path: ['body', 'payload', 'note'] },
      { body: event('p:key\u0000', 1), path: ['body', 'idempotencyKey'] },
      { body: event('p:year0', 1, { occurredAt: '0000-01-01T00:00:00Z' }), path: ['body', 'occurredAt'] },
      { body: event('p:year9999', 1, { occurredAt: '9999-12-31T23:59:59Z' }), path: ['body', 'occurredAt'] },
      { body: event('p:deep', 1, { payload: deep(40) as Record<string, unknown> }), path: ['body', 'payload'] },
      { body: event('p:huge', 1, { payload: { s: 'x'.repeat(20_000) } }), path: ['body', 'payload'] },
      {
        body: { events: [event('p:b1'), event('p:b2', 2, { occurredAt: '1999-12-31T23:59:59Z' })] },
        path: ['body', 'events', 1, 'occurredAt'],
      },
    ];
    const valid = Array.from({ length: 24 }, (_, i) => event(`v:${i}`, 1 + (i % 3), { payload: { n: i } }));
    // Interleaved so that good and bad requests are parsed in the same turns.
    const sends: Promise<{ status: number; body: { error?: { path: unknown } } }>[] = [];
    valid.forEach((v, i) => {
      sends.push(post(v));
      if (i < poisoned.length) sends.push(post(poisoned[i].body));
    });
    const answers = await Promise.all(sends);
    let p = 0;
    let v = 0;
    answers.forEach((a, i) => {
      const isPoison = i < 2 * poisoned.length && i % 2 === 1;
      if (isPoison) {
        expect(a.status, JSON.stringify(a.body)).toBe(400);
        expect(a.body.error?.path).toEqual(poisoned[p++].path);
      } else {
        expect(a.status, JSON.stringify(a.body)).toBe(202);
        v += 1;
      }
    });
    expect(v).toBe(valid.length);
    expect(await storedKeys('v:')).toEqual(valid.map((e) => e.idempotencyKey).sort());
    expect(await storedKeys('p:')).toEqual([]);
  });

  it('names the batch limit against the batch', async () => {
    const events = Array.from({ length: 1001 }, (_, i) => event(`over:${i}`));
    const answer = await api.call('POST', '/api/events', { role: 'engineer', body: { events } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.path).toEqual(['body', 'events']);
    expect(answer.body.error.message).toBe('at most 1000 events per request');
    expect(await storedKeys('over:')).toEqual([]);
  });

  it('retries the requests of a failed shared statement one by one', async () => {
    // Straight to the intake, past the API's validation: a poisoned request that fails in the database.
    const intake = createEventIntake(api.db.pool);
    const who: Principal = { keyId: '1', name: 'shop', role: 'engineer', actor: 'key:isolation-test' };
    const outcomes = await Promise.allSettled([
      intake.store([event('r:a', 1)], who),
      intake.store([event('r:nul', 2, { payload: { note: 'a\u0000b' } })], who),
      intake.store([event('r:b', 2), event('r:c', 3)], who),
      intake.store([event('r:year0', 3, { occurredAt: '0000-01-01T00:00:00Z' })], who),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect(await storedKeys('r:')).toEqual(['r:a', 'r:b', 'r:c']);
    const audited = await api.db.pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM audit_log WHERE actor = 'key:isolation-test' AND action = 'events.ingest'",
    );
    expect(Number(audited.rows[0].n)).toBe(2);
  });
});
