import type { ComponentProps } from 'react';
import type { Condition, Duration, FormField, JourneySettingsInput, SegmentInput, SmsClass } from '@huitou/schemas';
import type { z } from 'zod';
import { useI18n } from '../i18n.ts';
import { DurationPicker } from './DurationPicker.tsx';
import { JsonEditor } from './JsonEditor.tsx';
import { BranchesBuilder, ConditionBuilder, SegmentBuilder } from './SegmentBuilder.tsx';
import { SmsEditor } from './SmsEditor.tsx';
import {
  MultiSelectInput,
  NodeRefsInput,
  NumberInput,
  SelectInput,
  SwitchInput,
  TagsInput,
  TextInput,
  WeekdaysInput,
} from './basic-widgets.tsx';
import { enumValues, isNullable } from './schema-introspect.ts';

export interface FieldContext {
  /** The whole node config, for widgets that depend on a sibling (the SMS class). */
  readonly config: Record<string, unknown>;
  readonly settings: JourneySettingsInput;
  /** Other nodes, for node reference pickers. */
  readonly otherNodes: ReadonlyArray<{ id: string; label: string }>;
}

/** One control per UI hint widget; nested structures without a dedicated widget use the JSON editor. */
export function FieldWidget(props: {
  id: string;
  field: FormField;
  schema: z.ZodType;
  value: unknown;
  onChange: (value: unknown) => void;
  disabled: boolean;
  context: FieldContext;
}) {
  const { l } = useI18n();
  const { id, field, schema, value, onChange, disabled, context } = props;
  const common = { id, disabled, onChange };
  const hint = field.hint;
  switch (hint.widget) {
    case 'text':
    case 'url':
    case 'time_zone':
      return (
        <TextInput {...common} value={value as string | undefined} type={hint.widget === 'url' ? 'url' : 'text'} />
      );
    case 'textarea':
      return <TextInput {...common} value={value as string | undefined} multiline />;
    case 'time':
      return <TextInput {...common} value={value as string | undefined} type="time" />;
    case 'number':
    case 'money':
    case 'percent':
      return (
        <NumberInput
          {...common}
          value={value as number | null | undefined}
          unit={hint.unit ? l(hint.unit) : hint.widget === 'percent' ? '%' : undefined}
          nullable={isNullable(schema)}
        />
      );
    case 'switch':
      return <SwitchInput {...common} value={value as boolean | undefined} />;
    case 'select':
      return (
        <SelectInput
          {...common}
          value={value as string | undefined}
          values={enumValues(schema)}
          labels={hint.options}
        />
      );
    case 'multiselect':
      return (
        <MultiSelectInput
          {...common}
          value={value as string[] | undefined}
          values={enumValues(schema)}
          labels={hint.options}
        />
      );
    case 'tags':
      return <TagsInput {...common} value={value as string[] | undefined} />;
    case 'weekdays':
      return <WeekdaysInput {...common} value={value as number[] | undefined} />;
    case 'duration':
      return <DurationPicker {...common} value={value as Duration | undefined} />;
    case 'node_refs':
      return <NodeRefsInput {...common} value={value as string[] | undefined} nodes={context.otherNodes} />;
    case 'segment':
      return <SegmentBuilder {...common} value={value as SegmentInput | undefined} />;
    case 'condition':
      return <ConditionBuilder {...common} value={value as Condition | undefined} />;
    case 'branches':
      return <BranchesBuilder {...common} value={value as ComponentProps<typeof BranchesBuilder>['value']} />;
    case 'sms_template':
      return (
        <SmsEditor
          {...common}
          value={value as string | undefined}
          smsClass={(context.config.smsClass as SmsClass | undefined) ?? 'marketing'}
          settings={context.settings}
        />
      );
    default:
      return <JsonEditor {...common} value={value} />;
  }
}
