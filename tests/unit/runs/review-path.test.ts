// The review's SMS estimate: the path from the entry with the most SMS, each counted once; an A/B
// split's arms are alternatives (never summed), and a repeat's loop-back is not followed again.
import { describe, expect, it } from 'vitest';
import { compileJourney, journeyEdge as edge, journeyNode as node } from '@huitou/schemas';
import type { JourneyGraphInput } from '@huitou/schemas';
import { entryStartAt, mainPathSms } from '../../../engine/src/runs/review.ts';

const sms = (id: string, template: string, x: number) => node(id, 'action.sms', { template }, x, 0);

function compile(graph: JourneyGraphInput) {
  const result = compileJourney(graph);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

const abTest = (startAt?: string): JourneyGraphInput => ({
  name: 'A/B',
  settings: { holdoutPercent: 0, sms: { signature: '【测试店】', unitPrice: 0.05 } },
  nodes: [
    node(
      'entry',
      'entry.audience',
      { segment: { where: { kind: 'all', of: [] }, exclude: [] }, schedule: { kind: 'once', startAt } },
      0,
      0,
    ),
    node(
      'ab',
      'split.random',
      {
        arms: [
          { key: 'a', name: 'A', percent: 50 },
          { key: 'b', name: 'B', percent: 50 },
        ],
      },
      1,
      0,
    ),
    sms('a1', '新品上架，进店看看', 2),
    sms('a2', '最后一天，别错过', 3),
    // A long message: two billed segments, so B costs more per message but sends fewer.
    sms('b1', '新品上架'.repeat(20), 2),
    node('exit', 'exit', {}, 4, 0),
  ],
  edges: [
    edge('entry', 'ab'),
    edge('ab', 'a1', 'a'),
    edge('a1', 'a2'),
    edge('a2', 'exit'),
    edge('ab', 'b1', 'b'),
    edge('b1', 'exit'),
  ],
});

describe('review estimate', () => {
  it('takes the arm with the most SMS, not both arms', () => {
    const path = mainPathSms(compile(abTest()));
    expect(path.map((s) => s.nodeId)).toEqual(['a1', 'a2']);
    expect(path.map((s) => s.costPerMember)).toEqual([0.05, 0.05]);
  });

  it("reads the entry's one-off start time", () => {
    expect(entryStartAt(compile(abTest()))).toBeNull();
    expect(entryStartAt(compile(abTest('2026-12-10T02:00:00Z')))?.toISOString()).toBe('2026-12-10T02:00:00.000Z');
  });
});
