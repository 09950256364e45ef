// Where a node added from the palette goes: right after the selected node (or after the end of the
// flow), never on top of another card. Pure, so it is unit-tested without a browser.
import type { Box, Size } from './layout.ts';

export type { Box };

/** Horizontal room for the edge and its port caption; vertical room between stacked cards. */
export const PLACE_GAP_X = 90;
export const PLACE_GAP_Y = 40;

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * The new card's top-left corner: to the right of `after` (the selected node), at its height, moved
 * down until it overlaps no card (with a gap). Without `after`: right of the rightmost card, level with
 * it; on an empty canvas, `start` (where the user is looking).
 */
export function placeNewNode(
  nodes: readonly Box[],
  after: Box | null,
  size: Size,
  start: { x: number; y: number } = { x: 0, y: 0 },
): { x: number; y: number } {
  const anchor =
    after ??
    nodes.reduce<Box | null>((best, n) => (best === null || n.x + n.width > best.x + best.width ? n : best), null);
  if (anchor === null) return start;
  const x = anchor.x + anchor.width + PLACE_GAP_X;
  let y = anchor.y;
  // Grown by the gaps, so a card placed just below another still leaves room between them.
  const taken = nodes.map((n) => ({
    x: n.x - PLACE_GAP_X / 2,
    y: n.y - PLACE_GAP_Y / 2,
    width: n.width + PLACE_GAP_X,
    height: n.height + PLACE_GAP_Y,
  }));
  for (;;) {
    const box = { x, y, width: size.width, height: size.height };
    const hit = taken.filter((t) => overlaps(box, t));
    if (hit.length === 0) return { x, y };
    y = Math.max(...hit.map((t) => t.y + t.height));
  }
}

/** The first output port of `source` that feeds nothing yet, or null when all are connected. */
export function freePort(
  ports: readonly string[],
  edges: readonly { source: string; sourceHandle?: string | null }[],
  source: string,
): string | null {
  const used = new Set(edges.filter((e) => e.source === source).map((e) => e.sourceHandle ?? 'out'));
  return ports.find((p) => !used.has(p)) ?? null;
}
