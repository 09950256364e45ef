// Seeded fuzzing of every route in the route table (new routes are covered by being in it): random
// malformed bodies (wrong types, deep nesting, NUL and lone surrogates, unknown keys, extreme
// numbers and dates), malformed paths (bad percent-encoding, overlong ids) and headers (content
// type, corrupt content encoding, bad authorization). Never a 5xx; every error has the structured
// shape; a rejected request stores nothing (row counts of every table); the server still answers.
// HUITOU_FUZZ_SEED=<n> replays a run; the seed in use is printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '@huitou/schemas/http';
import type { Route } from '../../../engine/src/api/route.ts';
import { apiRoutes } from '../../../engine/src/api/routes/index.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

const SEED = Number(process.env.HUITOU_FUZZ_SEED ?? 20_261_205);
const BODIES_PER_ROUTE = 6;
const PATHS_PER_ROUTE = 2;
const HEADERS_PER_ROUTE = 2;

/** mulberry32: a small, well-mixed 32-bit generator; the same seed gives the same requests. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}
type Rng = ReturnType<typeof generator>;

/** Field names the schemas use, so that random objects reach past the first unknown-key check. */
const FIELDS = [
  'name',
  'draft',
  'notes',
  'version',
  'startAt',
  'events',
  'idempotencyKey',
  'type',
  'customerId',
  'orderId',
  'occurredAt',
  'payload',
  'receipts',
  'provider',
  'status',
  'at',
  'phone',
  'text',
  'source',
  'segment',
  'where',
  'exclude',
  'kind',
  'of',
  'field',
  'compare',
  'op',
  'value',
  'asOf',
  'timeZone',
  'sampleSize',
  'every',
  'weekday',
  'monthDay',
  'startFrom',
  'until',
  'role',
  'graph',
  'audience',
  'nodes',
  'edges',
  'limit',
  'state',
  'journeyId',
] as const;
const NASTY_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  'x\ud800',
  '\udfff',
  '\u202Eevil',
  'Ａ１２３',
  "'; DROP TABLE journeys; --",
  '%00',
  '%E0%A4%A',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-02-30T10:00:00Z',
  'not a date',
  '1e309',
  '-1',
  'null',
  '{"a":1}',
  '\n\r\t',
  '🙂'.repeat(50),
  'x'.repeat(5000),
];
const NASTY_NUMBERS = [0, -1, -0, 1.5, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 2 ** 31, 1e-320];

function randomValue(rng: Rng, depth: number): unknown {
  const kind = rng.int(depth > 4 ? 4 : 7);
  switch (kind) {
    case 0:
      return rng.pick(NASTY_STRINGS);
    case 1:
      return rng.pick(NASTY_NUMBERS);
    case 2:
      return rng.pick([true, false, null]);
    case 3:
      return rng.pick(['draft', 'order_paid', 'day', 'admin', 'all', '09:00', '2026-11-11T10:00:00+08:00']);
    case 4:
      return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
    default:
      return randomObject(rng, depth + 1);
  }
}

function randomObject(rng: Rng, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = rng.int(5); i > 0; i -= 1) {
    const key = rng.next() < 0.8 ? rng.pick(FIELDS) : rng.pick(['unknownKey', 'k\u0000', '__proto__', 'constructor']);
    out[key] = randomValue(rng, depth);
  }
  return out;
}

/** A raw body: random JSON, or something JSON.stringify would never produce. */
function randomBody(rng: Rng): string {
  switch (rng.int(8)) {
    case 0:
      return `{"draft":${'['.repeat(70 + rng.int(20_000))}${']'.repeat(3)}`; // deep, and unbalanced
    case 1:
      return '{"name": "unterminated';
    case 2:
      return JSON.stringify({ events: Array.from({ length: 1001 + rng.int(10) }, () => ({ k: 1 })) });
    case 3:
      return JSON.stringify(rng.pick(NASTY_STRINGS));
    case 4:
      return JSON.stringify(rng.pick(NASTY_NUMBERS));
    default:
      return JSON.stringify(randomObject(rng, 0));
  }
}

const NASTY_IDS = [
  '%E0%A4%A',
  '%',
  '%ZZ',
  '%00',
  '%C0%80',
  '%ED%A0%80',
  'x'.repeat(3000),
  '00000000-0000-4000-8000-000000000001',
  '-1',
  '1e309',
  '99999999999999999999',
  '..%2F..%2Fetc',
  '%F0%9F%99%82',
  "1'%20OR%201=1",
];

function fillPath(rng: Rng, path: string): string {
  return path.replace(/:[a-zA-Z]+/g, () => rng.pick(NASTY_IDS));
}

/** A query string of known and unknown names with nasty (percent-encoded, or deliberately broken) values. */
function randomQuery(rng: Rng): string {
  const pairs = Array.from({ length: 1 + rng.int(3) }, () => {
    const name = rng.pick(['limit', 'state', 'journeyId', 'scheduleId', 'after', 'unknown', 'status']);
    const value = rng.next() < 0.5 ? rng.pick(NASTY_IDS) : encodeURIComponent(String(rng.pick(NASTY_NUMBERS)));
    return `${name}=${value}`;
  });
  return `?${pairs.join('&')}`;
}

const VALID_ID = '00000000-0000-4000-8000-000000000001';
const validPath = (path: string) => path.replace(/:version/g, '1').replace(/:[a-zA-Z]+/g, VALID_ID);

interface Case {
  what: string;
  path: string;
  body?: string;
  headers: Record<string, string>;
}

function casesFor(rng: Rng, r: Route, adminKey: string): Case[] {
  const auth = { authorization: `Bearer ${adminKey}` };
  const json = { ...auth, 'content-type': 'application/json' };
  const cases: Case[] = [];
  for (let i = 0; i < BODIES_PER_ROUTE; i += 1)
    cases.push({
      what: r.method === 'get' ? 'query' : 'body',
      path: validPath(r.path) + (r.method === 'get' ? randomQuery(rng) : ''),
      body: r.method === 'get' ? undefined : randomBody(rng),
      headers: json,
    });
  for (let i = 0; i < PATHS_PER_ROUTE; i += 1)
    cases.push({
      what: 'path',
      path: fillPath(rng, r.path),
      body: r.method === 'get' ? undefined : '{}',
      headers: json,
    });
  const headerVariants: Record<string, string>[] = [
    { ...auth, 'content-type': 'text/plain' },
    { ...auth, 'content-type': 'application/json; charset=koi8-r' },
    { ...auth, 'content-type': 'application/json', 'content-encoding': 'gzip' },
    { ...auth, 'content-type': 'application/json', 'content-encoding': 'br' },
    { ...json, authorization: 'Bearer hu_' + 'x'.repeat(rng.int(500)) },
    { ...json, authorization: 'Basic YWRtaW46YWRtaW4=' },
    { ...json, authorization: 'Bearer' },
    { ...json, authorization: `Bearer ${adminKey}\u00ff` },
  ];
  for (let i = 0; i < HEADERS_PER_ROUTE; i += 1)
    cases.push({
      what: 'headers',
      path: validPath(r.path),
      body: r.method === 'get' ? undefined : rng.pick(['{"name":"x"}', 'garbage\u0000bytes', '{}']),
      headers: rng.pick(headerVariants),
    });
  return cases;
}

describe(`fuzzing every route (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let tables: string[];
  beforeAll(async () => {
    api = await startTestApi();
    const { rows } = await api.db.pool.query<{ t: string }>(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
    );
    tables = rows.map((r) => r.t);
  });
  afterAll(async () => api?.close());

  /** Rows per table, in one statement. */
  const counts = async (): Promise<Record<string, number>> => {
    const sql = tables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM "${t}"`).join(' UNION ALL ');
    const { rows } = await api.db.pool.query<{ t: string; n: number }>(sql);
    return Object.fromEntries(rows.map((r) => [r.t, r.n]));
  };

  it('answers random malformed requests to every route with a structured 4xx, storing nothing', async () => {
    console.log(`fuzz seed ${SEED} (set HUITOU_FUZZ_SEED to replay)`);
    const rng = generator(SEED);
    // The route table, plus the routes the app serves itself (health, the OpenAPI document, its page,
    // the e-mail unsubscribe link).
    const served = [
      ...['/api/health', '/api/openapi.json', '/api/docs', '/api/email/unsubscribe'].map((path) => ({
        method: 'get',
        path,
      })),
      { method: 'post', path: '/api/email/unsubscribe' },
    ] as Route[];
    const routes = [...apiRoutes(), ...served];
    expect(routes.length).toBeGreaterThan(33);
    let sent = 0;
    let rejected = 0;
    for (const r of routes) {
      for (const c of casesFor(rng, r, api.keys.admin)) {
        const label = `${r.method.toUpperCase()} ${r.path} [${c.what}] ${c.path.slice(0, 120)} seed ${SEED}`;
        const before = await counts();
        const res = await fetch(api.url + c.path, { method: r.method.toUpperCase(), headers: c.headers, body: c.body });
        const text = await res.text();
        sent += 1;
        expect(res.status, `${label}: ${text.slice(0, 300)}`).toBeLessThan(500);
        if (res.status < 400) continue;
        rejected += 1;
        const parsed = ApiErrorBody.safeParse(JSON.parse(text));
        expect(parsed.success, `${label}: ${text.slice(0, 300)}`).toBe(true);
        expect(parsed.data?.error.status, label).toBe(res.status);
        expect(await counts(), label).toEqual(before);
      }
    }
    // Most requests are refused; a few random bodies are valid (e.g. a journey named "draft").
    expect(rejected).toBeGreaterThan(sent * 0.8);
    expect(api.logs.filter((l) => / failed: /.test(l))).toEqual([]);

    // Still answering, and still storing valid requests.
    expect((await api.call('GET', '/api/health')).status).toBe(200);
    const created = await api.call('POST', '/api/journeys', { body: { name: 'after the fuzz' } });
    expect(created.status).toBe(201);
  }, 120_000);
});
