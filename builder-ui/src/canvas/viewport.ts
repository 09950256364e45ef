// The viewport a journey opens at: the whole journey when it fits at a readable zoom, else its start
// (the entry) at that zoom, the rest reached by panning or the minimap. Pure, so unit-tested.
import type { Box } from '../journey/layout.ts';

/** At 0.8 a 16 px card title still reads as ~13 px on screen. */
export const READABLE_ZOOM = 0.8;
export const MAX_FIT_ZOOM = 1.1;
const PADDING = 40;

export function readableViewport(
  bounds: Box,
  start: Box | null,
  view: { readonly width: number; readonly height: number },
): { x: number; y: number; zoom: number } {
  const fit = Math.min(
    (view.width - 2 * PADDING) / Math.max(bounds.width, 1),
    (view.height - 2 * PADDING) / Math.max(bounds.height, 1),
  );
  const centreY = (r: Box, zoom: number) => view.height / 2 - (r.y + r.height / 2) * zoom;
  if (fit >= READABLE_ZOOM) {
    const zoom = Math.min(fit, MAX_FIT_ZOOM);
    return { x: view.width / 2 - (bounds.x + bounds.width / 2) * zoom, y: centreY(bounds, zoom), zoom };
  }
  const zoom = READABLE_ZOOM;
  const from = start ?? bounds;
  // Vertically: the whole journey when it is short enough, else centred on the start.
  const tallFits = bounds.height * zoom <= view.height - 2 * PADDING;
  return { x: PADDING - from.x * zoom, y: centreY(tallFits ? bounds : from, zoom), zoom };
}
