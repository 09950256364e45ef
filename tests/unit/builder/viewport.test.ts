// The zoom a journey opens at: never below readable; a journey too big to fit shows its entry.
import { describe, expect, it } from 'vitest';
import { DEFAULT_NODE_SIZE, layeredLayout } from '../../../builder-ui/src/journey/layout.ts';
import { MAX_FIT_ZOOM, READABLE_ZOOM, readableViewport } from '../../../builder-ui/src/canvas/viewport.ts';

const view = { width: 1000, height: 700 };

describe('readableViewport', () => {
  it('fits a small journey whole, centred, no closer than the maximum zoom', () => {
    const vp = readableViewport({ x: 0, y: 0, width: 500, height: 200 }, null, view);
    expect(vp.zoom).toBe(MAX_FIT_ZOOM);
    expect(vp.x + 250 * vp.zoom).toBeCloseTo(500);
    expect(vp.y + 100 * vp.zoom).toBeCloseTo(350);
  });

  it('a journey too large to fit readably opens at the readable zoom with its entry in view, at the left', () => {
    const entry = { x: 0, y: 600, width: 240, height: 120 };
    const vp = readableViewport({ x: 0, y: -400, width: 3600, height: 2000 }, entry, view);
    expect(vp.zoom).toBe(READABLE_ZOOM);
    const left = entry.x * vp.zoom + vp.x;
    const top = entry.y * vp.zoom + vp.y;
    expect(left).toBeGreaterThanOrEqual(0);
    expect(left + entry.width * vp.zoom).toBeLessThanOrEqual(view.width);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top + entry.height * vp.zoom).toBeLessThanOrEqual(view.height);
  });
});

describe('layeredLayout with measured sizes', () => {
  it('columns are as wide as their widest card and stacked cards never overlap', () => {
    const sizes: Record<string, { width: number; height: number }> = {
      a: { width: 240, height: 100 },
      b: { width: 400, height: 260 },
      c: { width: 240, height: 90 },
      d: DEFAULT_NODE_SIZE,
    };
    const edges = [
      { source: 'a', target: 'b', port: 'x' },
      { source: 'a', target: 'c', port: 'y' },
      { source: 'b', target: 'd', port: 'out' },
    ];
    const at = layeredLayout(
      ['a', 'b', 'c', 'd'],
      edges,
      (id) => (id === 'a' ? ['x', 'y'] : ['out']),
      (id) => sizes[id],
    );
    const box = (id: string) => ({ ...(at.get(id) as { x: number; y: number }), ...sizes[id] });
    // b (wide) and c share a column; d starts right of b's full width.
    expect(box('b').x).toBe(box('c').x);
    expect(box('d').x).toBeGreaterThan(box('b').x + 400);
    expect(box('b').y + 260 <= box('c').y || box('c').y + 90 <= box('b').y).toBe(true);
  });
});
