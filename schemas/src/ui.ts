import { z } from 'zod';
import type { LocalizedText } from './i18n.ts';

/**
 * UI hints for node config fields. The builder generates inspector forms from a node type's config
 * schema: each top-level field carries one hint in this registry (one mechanism, typed, and usable
 * with `z.toJSONSchema(schema, { metadata: uiHints })`).
 */
export type Widget =
  | 'text'
  | 'textarea'
  | 'number'
  | 'money'
  | 'percent'
  | 'switch'
  | 'select'
  | 'multiselect'
  | 'tags'
  | 'url'
  | 'time'
  | 'duration'
  | 'segment'
  | 'condition'
  | 'sms_template'
  | 'template_text'
  | 'time_windows'
  | 'weekdays'
  | 'time_zone'
  | 'node_refs'
  | 'branches'
  | 'arms'
  | 'schedule'
  | 'reentry'
  | 'date_rule';

export interface UiHint {
  readonly label: LocalizedText;
  readonly widget: Widget;
  readonly help?: LocalizedText;
  /** Shown after the input, e.g. 元 or %. */
  readonly unit?: LocalizedText;
  /** Option labels for select / multiselect widgets, keyed by value. */
  readonly options?: Readonly<Record<string, LocalizedText>>;
}

export const uiHints = z.registry<UiHint>();

/**
 * Attach a UI hint to a config field; call it on the outermost schema (after .default()/.optional()).
 * The hint goes on a copy: shared schemas (Duration, OrderEvent) serve many fields, and a hint on
 * the shared object itself would give all of them the label of whichever field came last.
 */
export function field<T extends z.ZodType>(schema: T, hint: UiHint): T {
  const own = schema.clone() as T;
  uiHints.add(own, hint);
  return own;
}

export interface FormField {
  readonly key: string;
  readonly hint: UiHint;
  readonly required: boolean;
}

/** The form a config object schema describes, in declaration order. Fields without a hint are internal. */
export function formFields(config: z.ZodObject): FormField[] {
  const out: FormField[] = [];
  for (const [key, schema] of Object.entries(config.shape)) {
    const hint = uiHints.get(schema as z.ZodType);
    if (hint === undefined) continue;
    out.push({ key, hint, required: !(schema as z.ZodType).safeParse(undefined).success });
  }
  return out;
}
