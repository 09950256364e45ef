// Storing events (engine/src/events/intake.ts): requests arriving together share one transaction,
// and each keeps its own outcome: one naming an unknown customer stores nothing and answers 422,
// the others are stored; a key sent by two requests at once is accepted once; each stored request
// is audited with its own counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { Principal } from '../../../engine/src/api/auth.ts';
import { createEventIntake } from '../../../engine/src/events/intake.ts';
import type { IncomingEvent } from '../../../engine/src/events/intake.ts';
import { insertCustomers, insertOrder } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

const at = '2026-11-11T10:00:00+08:00';

describe(`event intake (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let orderOf1: number;
  beforeAll(async () => {
    api = await startTestApi();
    await insertCustomers(api.db.pool, [1, 2, 3]);
    orderOf1 = await insertOrder(api.db.pool, {
      customerId: 1,
      at: new Date(at),
      status: 'created',
      items: [{ category: 'food', amount: 88 }],
    });
  });
  afterAll(async () => api?.close());

  const event = (key: string, customerId: number, orderId?: number): IncomingEvent => ({
    idempotencyKey: key,
    type: 'order_paid',
    customerId,
    ...(orderId ? { orderId } : {}),
    occurredAt: at,
  });
  const stored = async (prefix: string) =>
    (
      await api.db.pool.query<{ k: string }>(
        'SELECT idempotency_key AS k FROM events WHERE idempotency_key LIKE $1 ORDER BY id',
        [`${prefix}%`],
      )
    ).rows.map((r) => r.k);

  it('writes the requests of one turn in one transaction, each with its own outcome', async () => {
    let transactions = 0;
    const pool = new Proxy(api.db.pool, {
      get: (target, name, receiver) =>
        name === 'connect'
          ? (...args: unknown[]) => ((transactions += 1), (target.connect as (...a: unknown[]) => unknown)(...args))
          : name === 'query'
            ? () => Promise.reject(new Error('the intake writes in a transaction'))
            : Reflect.get(target, name, receiver),
    }) as pg.Pool;
    const intake = createEventIntake(pool);
    const who: Principal = { keyId: '1', name: 'shop', role: 'engineer', actor: 'key:intake-test' };
    const results = await Promise.all([
      intake.store([event('g:a', 1, orderOf1), event('g:b', 2)], who),
      intake.store([event('g:c', 3), event('g:bad', 3, orderOf1)], who), // order of customer 1
      intake.store([event('g:d', 2), event('g:e', 999)], who), // no customer 999
      intake.store([event('g:b', 2), event('g:f', 3)], who), // g:b again
      intake.store([event('g:f', 3)], who),
    ]);
    expect(transactions).toBe(1);
    expect(results[1]).toEqual({ bad: { index: 1, code: 'order_customer_mismatch', path: ['orderId'] } });
    expect(results[2]).toEqual({ bad: { index: 1, code: 'unknown_customer', path: ['customerId'] } });
    const ids = results.map((r) => ('ids' in r ? r.ids.map((id) => id !== null) : null));
    expect(ids).toEqual([[true, true], null, null, [false, true], [false]]);
    // Nothing of a rejected request is stored, not even its good events.
    expect(await stored('g:')).toEqual(['g:a', 'g:b', 'g:f']);
    const audit = await api.db.pool.query<{ details: { received: number; accepted: number } }>(
      "SELECT details FROM audit_log WHERE actor = 'key:intake-test' AND action = 'events.ingest' ORDER BY id",
    );
    expect(audit.rows.map((r) => [r.details.received, r.details.accepted])).toEqual([
      [2, 2],
      [2, 1],
      [1, 0],
    ]);
  });

  it('answers concurrent HTTP requests as if each were alone', async () => {
    const post = (body: unknown) => api.call('POST', '/api/events', { role: 'engineer', body });
    const answers = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => post(event(`h:${i}`, 1 + (i % 3)))),
      post({ events: [event('h:x', 1), event('h:y', 42)] }),
      post(event('h:0', 1)),
    ]);
    expect(answers.slice(0, 20).map((a) => a.status)).toEqual(Array(20).fill(202));
    expect(answers[20]).toMatchObject({
      status: 422,
      body: { error: { code: 'unknown_customer', path: ['body', 'events', 1, 'customerId'] } },
    });
    const [first, again] = [answers[0].body, answers[21].body];
    // h:0 sent twice at once: accepted exactly once, whichever request came first.
    expect(first.accepted + again.accepted).toBe(1);
    expect((await stored('h:')).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `h:${i}`).sort());
  });
});
