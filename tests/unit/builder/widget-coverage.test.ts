import { describe, expect, it } from 'vitest';
import type { Widget } from '@huitou/schemas';
import { formFields, nodeTypeIds, nodeTypeOf } from '@huitou/schemas';
import { HANDLED_WIDGETS, STRUCTURED_WIDGETS } from '../../../builder-ui/src/inspector/widgets.ts';

/** Every (node type, field, widget) the inspector renders a form for. */
const usedWidgets = nodeTypeIds.flatMap((type) =>
  formFields(nodeTypeOf(type).config).map((f) => ({ type, key: f.key, widget: f.hint.widget })),
);

describe('inspector forms', () => {
  it('has a dedicated control for every widget a node type uses: no field falls back to JSON', () => {
    const handled = new Set<Widget>(HANDLED_WIDGETS);
    const missing = usedWidgets.filter((u) => !handled.has(u.widget)).map((u) => `${u.type}.${u.key}: ${u.widget}`);
    expect(missing).toEqual([]);
  });

  it('walks every node type and the widgets this issue added', () => {
    // Guards the walk itself: an empty or partial registry walk would pass the check above vacuously.
    expect(new Set(usedWidgets.map((u) => u.type)).size).toBe(nodeTypeIds.length);
    const used = new Set(usedWidgets.map((u) => u.widget));
    for (const w of ['time_windows', 'arms', 'schedule', 'reentry', 'date_rule'] as const)
      expect(used.has(w)).toBe(true);
  });

  it('offers the JSON view only as a per-field option on handled structured widgets', () => {
    for (const w of STRUCTURED_WIDGETS) expect(HANDLED_WIDGETS).toContain(w);
  });
});
