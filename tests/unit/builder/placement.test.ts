// Where a clicked palette item lands: after the selected card, on no other card; and which port feeds it.
import { describe, expect, it } from 'vitest';
import type { Box } from '../../../builder-ui/src/journey/placement.ts';
import { PLACE_GAP_X, freePort, placeNewNode } from '../../../builder-ui/src/journey/placement.ts';

const size = { width: 240, height: 120 };
const card = (x: number, y: number, height = 120): Box => ({ x, y, width: 240, height });
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('placeNewNode', () => {
  it('goes right of the selected card, level with it, when that space is free', () => {
    const selected = card(0, 0);
    expect(placeNewNode([selected], selected, size)).toEqual({ x: 240 + PLACE_GAP_X, y: 0 });
  });

  it('moves down past every card in the way (a tall SMS card included) and overlaps none', () => {
    const selected = card(0, 0);
    const nodes = [selected, card(330, -20), card(330, 130, 200), card(600, 400)];
    const at = placeNewNode(nodes, selected, size);
    expect(at.x).toBe(330);
    const box = { ...at, ...size };
    for (const n of nodes) expect(overlap(box, n), JSON.stringify(n)).toBe(false);
    expect(at.y).toBeGreaterThanOrEqual(330);
  });

  it('with nothing selected, goes after the rightmost card (the end of the flow)', () => {
    const nodes = [card(0, 0), card(330, 140), card(660, 40)];
    expect(placeNewNode(nodes, null, size)).toEqual({ x: 900 + PLACE_GAP_X, y: 40 });
  });

  it('an empty canvas starts where the user is looking (the origin by default)', () => {
    expect(placeNewNode([], null, size)).toEqual({ x: 0, y: 0 });
    expect(placeNewNode([], null, size, { x: 40, y: 300 })).toEqual({ x: 40, y: 300 });
  });
});

describe('freePort', () => {
  const edges = [
    { source: 'wait', sourceHandle: 'event' },
    { source: 'other', sourceHandle: 'timeout' },
  ];
  it('is the first output port feeding nothing yet', () => {
    expect(freePort(['event', 'timeout'], edges, 'wait')).toBe('timeout');
    expect(freePort(['out'], [], 'sms')).toBe('out');
  });
  it('is null when every port is connected (the new card then stands alone)', () => {
    expect(freePort(['out'], [{ source: 'sms', sourceHandle: 'out' }], 'sms')).toBeNull();
    expect(freePort([], [], 'exit')).toBeNull();
  });
});
