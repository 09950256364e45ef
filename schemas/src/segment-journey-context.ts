// Conditions that only mean something inside a journey: the order that triggered it, or a purchase
// window anchored at the member's entry or cycle start. A segment preview outside any journey has
// neither, so it names the first such condition instead of failing while lowering it.
import type { Condition, Segment } from './segment.ts';

export interface JourneyContextUse {
  /** Path of the condition within the segment, e.g. ['where', 'of', 1]. */
  path: (string | number)[];
  needs: 'trigger order' | 'entry instant' | 'cycle start';
}

export function firstJourneyContextUse(segment: Segment): JourneyContextUse | undefined {
  const inWhere = inCondition(segment.where, ['where']);
  if (inWhere) return inWhere;
  for (const [i, e] of segment.exclude.entries()) {
    if (e.kind !== 'condition') continue;
    const found = inCondition(e.where, ['exclude', i, 'where']);
    if (found) return found;
  }
  return undefined;
}

function inCondition(c: Condition, path: (string | number)[]): JourneyContextUse | undefined {
  switch (c.kind) {
    case 'all':
    case 'any':
      for (const [i, child] of c.of.entries()) {
        const found = inCondition(child, [...path, 'of', i]);
        if (found) return found;
      }
      return undefined;
    case 'not':
      return inCondition(c.of, [...path, 'of']);
    case 'trigger_order':
    case 'trigger_order_category':
    case 'trigger_order_paid':
      return { path, needs: 'trigger order' };
    case 'purchase':
    case 'rfm':
      if (c.window.kind === 'since')
        return {
          path: [...path, 'window', 'anchor'],
          needs: c.window.anchor === 'entry' ? 'entry instant' : 'cycle start',
        };
      return undefined;
    default:
      return undefined;
  }
}
