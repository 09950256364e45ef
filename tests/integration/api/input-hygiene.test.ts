// Every bad input is a structured 4xx naming its field, decided before anything is stored or any
// key is looked up: percent-encoding, compression, JSON depth, text content (NUL, lone surrogates,
// bidi controls in names), strict objects inside segments, time bounds, journey-only conditions.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

const someId = '00000000-0000-4000-8000-000000000001';
const everyone = { where: { kind: 'all', of: [] }, exclude: [] };

describe(`input hygiene (${describeEngine('configured')})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.close());

  const journeys = async () => Number((await api.db.pool.query('SELECT count(*) AS n FROM journeys')).rows[0].n);
  const expectError = (
    answer: { status: number; body: { error?: { path?: unknown; code?: string } } },
    status: number,
    path: (string | number)[],
    code?: string,
  ) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(answer.body.error?.path).toEqual(path);
    if (code) expect(answer.body.error?.code).toBe(code);
  };

  it('answers a bad percent-encoding in any path parameter with 400, before authentication', async () => {
    for (const path of [
      '/api/journeys/%E0%A4%A',
      '/api/runs/%ZZ',
      '/api/schedules/%/pause',
      '/api/journeys/%C0/runs',
    ]) {
      const method = path.endsWith('/runs') || path.endsWith('/pause') ? 'POST' : 'GET';
      expectError(await api.call(method, path, { role: null }), 400, ['path'], 'malformed_path');
      expectError(await api.call(method, path), 400, ['path'], 'malformed_path');
    }
    expect(api.logs.filter((l) => l.includes('failed:'))).toEqual([]);
  });

  it('answers corrupt compressed bodies with 400 and an unknown encoding with 415', async () => {
    const before = await journeys();
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const answer = await api.call('POST', '/api/journeys', {
        raw: '{"name":"not really compressed"}',
        headers: { 'content-encoding': encoding },
      });
      expectError(answer, 400, ['body'], 'malformed_body');
    }
    const truncated = gzipSync(JSON.stringify({ name: 'cut short' })).subarray(0, 12);
    const res = await fetch(`${api.url}/api/journeys`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${api.keys.admin}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: truncated,
    });
    expect(res.status).toBe(400);
    expectError(
      await api.call('POST', '/api/journeys', { raw: '{}', headers: { 'content-encoding': 'x-rot13' } }),
      415,
      ['body'],
    );
    expect(await journeys()).toBe(before);
  });

  it('refuses JSON nested deeper than 64 levels without parsing it', async () => {
    for (const depth of [65, 5_000, 20_000]) {
      const raw = `{"name":"deep","draft":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      expectError(await api.call('POST', '/api/journeys', { raw }), 400, ['body'], 'too_deep');
    }
    // An escaped quote does not end a string: the brackets after it are still text.
    const escaped = await api.call('POST', '/api/journeys', { raw: `{"name":"q\\"${'['.repeat(70)}"}` });
    expect(escaped.status, escaped.text).toBe(201);
    // Brackets inside strings are text, not nesting.
    const created = await api.call('POST', '/api/journeys', { body: { name: `[${'{'.repeat(70)}` } });
    expect(created.status).toBe(201);
  });

  it('refuses NUL and lone surrogates in any string, key or query value, naming the field', async () => {
    const before = await journeys();
    expectError(
      await api.call('POST', '/api/journeys', { body: { name: 'a\u0000b' } }),
      400,
      ['body', 'name'],
      'invalid_text',
    );
    expectError(await api.call('POST', '/api/journeys', { raw: '{"name":"a\\udc00b"}' }), 400, ['body', 'name']);
    expectError(
      await api.call('POST', '/api/journeys', { body: { name: 'ok', draft: { nodes: [{ id: 'x\u0000' }] } } }),
      400,
      ['body', 'draft', 'nodes', 0, 'id'],
    );
    expectError(await api.call('POST', '/api/journeys', { raw: '{"na\\u0000me":"x"}' }), 400, ['body', 'na\u0000me']);
    expectError(await api.call('GET', '/api/runs?journeyId=%00'), 400, ['query', 'journeyId'], 'invalid_text');
    expectError(await api.call('GET', `/api/journeys/${someId}%00`), 400, ['params', 'id'], 'invalid_text');
    expect(await journeys()).toBe(before);
  });

  it('refuses bidi and control characters in names', async () => {
    const before = await journeys();
    for (const name of ['invoice\u202Etxt.exe', 'a\u2066b', 'line\nbreak', 'bell\u0007'])
      expectError(await api.call('POST', '/api/journeys', { body: { name } }), 400, ['body', 'name']);
    expectError(await api.call('POST', '/api/keys', { body: { name: 'key\u202E', role: 'viewer' } }), 400, [
      'body',
      'name',
    ]);
    expect(await journeys()).toBe(before);
    // Ordinary names in any script still pass.
    expect((await api.call('POST', '/api/journeys', { body: { name: '双十一 催付 — ü' } })).status).toBe(201);
  });

  it('refuses unknown keys inside segment conditions with their path', async () => {
    const segment = {
      where: { kind: 'all', of: [{ kind: 'gender', values: ['female'], colour: 'red' }] },
      exclude: [],
    };
    expectError(
      await api.call('POST', '/api/segments/preview', { body: { segment } }),
      400,
      ['body', 'segment', 'where', 'of', 0, 'colour'],
      'unknown_field',
    );
    const inCompare = {
      where: { kind: 'number', field: 'order_count', compare: { op: 'gt', value: 1, extra: true } },
      exclude: [],
    };
    expectError(await api.call('POST', '/api/segments/preview', { body: { segment: inCompare } }), 400, [
      'body',
      'segment',
      'where',
      'compare',
      'extra',
    ]);
  });

  it('answers a preview of a condition that needs a journey member with 422 and its path', async () => {
    const trigger = {
      where: { kind: 'all', of: [{ kind: 'trigger_order', field: 'amount', compare: { op: 'gt', value: 1 } }] },
      exclude: [],
    };
    expectError(await api.call('POST', '/api/segments/preview', { body: { segment: trigger } }), 422, [
      'body',
      'segment',
      'where',
      'of',
      0,
    ]);
    const sinceEntry = {
      where: {
        kind: 'purchase',
        metric: 'count',
        window: { kind: 'since', anchor: 'entry' },
        compare: { op: 'gte', value: 1 },
      },
      exclude: [],
    };
    expectError(
      await api.call('POST', '/api/segments/preview', { body: { segment: sinceEntry } }),
      422,
      ['body', 'segment', 'where', 'window', 'anchor'],
      'needs_journey_context',
    );
    expect((await api.call('POST', '/api/segments/preview', { body: { segment: everyone } })).status).toBe(200);
  });

  it('bounds instants to 2000..2100 and local dates to 1900..2099', async () => {
    for (const startAt of [
      '0000-01-01T00:00:00Z',
      '9999-12-31T00:00:00Z',
      '1999-12-31T23:59:59Z',
      '2100-01-01T00:00:00Z',
    ])
      expectError(await api.call('POST', `/api/journeys/${someId}/runs`, { body: { startAt } }), 400, [
        'body',
        'startAt',
      ]);
    expectError(
      await api.call('POST', `/api/journeys/${someId}/schedules`, {
        body: { every: 'day', at: '09:00', until: '9999-01-01' },
      }),
      400,
      ['body', 'until'],
    );
    expectError(
      await api.call('POST', '/api/segments/preview', { body: { segment: everyone, asOf: '0000-01-01T00:00:00Z' } }),
      400,
      ['body', 'asOf'],
    );
    const oldDates = {
      where: { kind: 'date', field: 'registered_at', compare: { op: 'on_or_after', date: '1950-01-01' } },
      exclude: [],
    };
    const answer = await api.call('POST', '/api/segments/preview', { body: { segment: oldDates } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const tooOld = { ...oldDates, where: { ...oldDates.where, compare: { op: 'on_or_after', date: '1899-12-31' } } };
    expectError(await api.call('POST', '/api/segments/preview', { body: { segment: tooOld } }), 400, [
      'body',
      'segment',
      'where',
      'compare',
      'date',
    ]);
  });
});
