import type { Widget } from '@huitou/schemas';

/**
 * Every UI hint widget the inspector has a dedicated control for. FieldWidget's control table is
 * typed against this list (a missing or extra entry does not compile), and the unit test
 * tests/unit/builder/widget-coverage.test.ts checks that every widget a node type uses is in it.
 */
export const HANDLED_WIDGETS = [
  'text',
  'textarea',
  'number',
  'money',
  'percent',
  'switch',
  'select',
  'multiselect',
  'tags',
  'url',
  'time',
  'duration',
  'segment',
  'condition',
  'sms_template',
  'template_text',
  'time_windows',
  'weekdays',
  'time_zone',
  'node_refs',
  'branches',
  'arms',
  'schedule',
  'reentry',
  'date_rule',
] as const satisfies readonly Widget[];
export type HandledWidget = (typeof HANDLED_WIDGETS)[number];

export function isHandledWidget(widget: Widget): widget is HandledWidget {
  return (HANDLED_WIDGETS as readonly string[]).includes(widget);
}

/** Widgets whose value is a nested structure: they get a per-field "JSON" toggle for experts. */
export const STRUCTURED_WIDGETS: ReadonlySet<Widget> = new Set<Widget>([
  'condition',
  'branches',
  'time_windows',
  'arms',
  'schedule',
  'reentry',
  'date_rule',
]);
