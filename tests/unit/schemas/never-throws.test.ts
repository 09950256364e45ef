import { describe, expect, it } from 'vitest';
import type { CompileResult } from '@huitou/schemas';
import {
  compileJourney,
  countSms,
  journeyTemplates,
  largeJourney,
  parseTemplate,
  planHash,
  previewSms,
  validateJourney,
} from '@huitou/schemas';

/**
 * Property tests without a library: a seeded generator (reproducible; the seed is in the test name)
 * feeds random JSON, random strings and mutated real journeys into the public entry points.
 */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const alphabet = [
  'a',
  'Z',
  '0',
  ' ',
  '{',
  '}',
  '{{',
  '}}',
  '【',
  '】',
  '回',
  '€',
  '^',
  '😀',
  '\ud800',
  '\n',
  'nickname',
  'coupon.amount',
  'é',
  'ç',
];
const randomString = (r: Rng, max = 30) => Array.from({ length: r.int(max) }, () => r.pick(alphabet)).join('');

const interesting: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -0,
  NaN,
  Infinity,
  '',
  'out',
  'entry',
  'entry.audience',
  'loop.repeat',
  'exit',
  [],
  {},
  undefined,
  { kind: 'all', of: [] },
  { amount: 1, unit: 'days' },
  { source: 'entry', sourcePort: 'out', target: 'exit' },
];

function randomJson(r: Rng, depth = 0): unknown {
  const roll = r.int(depth > 3 ? 3 : 6);
  if (roll === 0) return r.pick(interesting);
  if (roll === 1) return randomString(r);
  if (roll === 2) return r.next() * 1000 - 500;
  if (roll === 3) return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
  const keys = [
    'id',
    'type',
    'config',
    'nodes',
    'edges',
    'name',
    'settings',
    'kind',
    'of',
    'template',
    'anchors',
    'source',
    'target',
    'sourcePort',
  ];
  return Object.fromEntries(Array.from({ length: r.int(5) }, () => [r.pick(keys), randomJson(r, depth + 1)]));
}

/** Change one random place in a JSON tree: drop a key, replace a value, or copy an array element. */
function mutate(r: Rng, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || r.int(4) === 0)
    return r.int(2) === 0 ? randomJson(r) : r.pick(interesting);
  if (Array.isArray(value)) {
    if (value.length === 0) return [randomJson(r)];
    const copy = [...value];
    const i = r.int(copy.length);
    const op = r.int(4);
    if (op === 0) copy.splice(i, 1);
    else if (op === 1) copy.push(structuredClone(copy[i]));
    else copy[i] = mutate(r, copy[i]);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return { [r.pick(['id', 'kind'])]: randomJson(r) };
  const key = r.pick(keys);
  if (r.int(5) === 0) delete copy[key];
  else copy[key] = mutate(r, copy[key]);
  return copy;
}

function expectWellFormed(result: CompileResult) {
  if (result.ok) {
    expect(planHash(result.plan)).toBe(result.plan.hash);
  } else {
    expect(result.errors.length).toBeGreaterThan(0);
    for (const err of result.errors) {
      expect(err.code).not.toBe('INTERNAL_ERROR');
      expect(err.message.zh.length).toBeGreaterThan(0);
      expect(err.message.en.length).toBeGreaterThan(0);
    }
  }
}

const templates = [...Object.values(journeyTemplates), largeJourney(3)];

describe('validate and compile never throw', () => {
  it.each([1, 2, 3])('on random JSON (seed %i)', (seed) => {
    const r = rng(seed);
    for (let i = 0; i < 400; i++) {
      const input = randomJson(r);
      expectWellFormed(compileJourney(input));
      expect(validateJourney(input).ok).toBe(false);
    }
  });

  it.each([11, 12, 13, 14])('on mutated real journeys (seed %i)', (seed) => {
    const r = rng(seed);
    let rejected = 0;
    for (let i = 0; i < 250; i++) {
      let graph: unknown = structuredClone(r.pick(templates));
      for (let k = 1 + r.int(3); k > 0; k--) graph = mutate(r, graph);
      const result = compileJourney(graph);
      expectWellFormed(result);
      if (!result.ok) rejected += 1;
    }
    expect(rejected).toBeGreaterThan(0); // the mutations do break journeys
  });

  it.each([21, 22])('on rewired edges (seed %i)', (seed) => {
    const r = rng(seed);
    for (let i = 0; i < 200; i++) {
      const graph = structuredClone(r.pick(templates));
      const ids = graph.nodes.map((n) => n.id);
      for (let k = 1 + r.int(3); k > 0; k--) {
        const e = graph.edges[r.int(graph.edges.length)];
        if (r.int(2) === 0) e.target = r.pick(ids);
        else e.source = r.pick(ids);
      }
      expectWellFormed(compileJourney(graph));
    }
  });
});

describe('SMS functions never throw', () => {
  it('on random strings, and counts stay consistent', () => {
    const r = rng(99);
    for (let i = 0; i < 1000; i++) {
      const text = randomString(r, 200);
      const parsed = parseTemplate(text);
      expect(typeof parsed.ok).toBe('boolean');
      previewSms(
        text,
        { signature: '【店】', optOutSuffix: '回T退订', smsClass: r.pick(['marketing', 'notification'] as const) },
        0.05,
      );
      const count = countSms(text, 0.05);
      if (count.segments > 0) {
        // Greedy filling never needs fewer parts than the length requires.
        expect(count.segments).toBeGreaterThanOrEqual(Math.ceil(count.units / count.perSegment));
        expect(count.remaining).toBeGreaterThanOrEqual(0);
        expect(count.remaining).toBeLessThan(count.perSegment);
      }
    }
  });
});
