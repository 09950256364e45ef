import type { ComponentProps, ReactNode } from 'react';
import { useState } from 'react';
import type {
  Condition,
  Duration,
  FormField,
  JourneySettingsInput,
  SegmentInput,
  SmsClass,
  TimeWindow,
} from '@huitou/schemas';
import type { z } from 'zod';
import type { I18n } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import type { Arm } from './ArmsInput.tsx';
import { ArmsInput } from './ArmsInput.tsx';
import type { DateRule } from './DateRuleInput.tsx';
import { DateRuleInput } from './DateRuleInput.tsx';
import { DurationPicker } from './DurationPicker.tsx';
import { JsonEditor } from './JsonEditor.tsx';
import type { Reentry, Schedule } from './ScheduleInput.tsx';
import { ReentryInput, ScheduleInput } from './ScheduleInput.tsx';
import { BranchesBuilder, ConditionBuilder, SegmentBuilder } from './SegmentBuilder.tsx';
import { SmsEditor } from './SmsEditor.tsx';
import { TemplateTextInput } from './TemplateText.tsx';
import { TimeWindowsPicker } from './TimeWindowsPicker.tsx';
import {
  MultiSelectInput,
  NodeRefsInput,
  NumberInput,
  SelectInput,
  SwitchInput,
  TagsInput,
  TextInput,
  TimeSelect,
  WeekdaysInput,
} from './basic-widgets.tsx';
import { enumValues, isNullable } from './schema-introspect.ts';
import type { HandledWidget } from './widgets.ts';
import { STRUCTURED_WIDGETS, isHandledWidget } from './widgets.ts';

export interface FieldContext {
  /** The whole node config, for widgets that depend on a sibling (the SMS class). */
  readonly config: Record<string, unknown>;
  readonly settings: JourneySettingsInput;
  /** Other nodes, for node reference pickers. */
  readonly otherNodes: ReadonlyArray<{ id: string; label: string }>;
}

interface ControlProps {
  readonly id: string;
  readonly field: FormField;
  readonly schema: z.ZodType;
  readonly value: unknown;
  readonly onChange: (value: unknown) => void;
  readonly disabled: boolean;
  readonly context: FieldContext;
  readonly i18n: I18n;
}

const common = (p: ControlProps) => ({ id: p.id, disabled: p.disabled, onChange: p.onChange });
const numberControl = (p: ControlProps) => (
  <NumberInput
    {...common(p)}
    value={p.value as number | null | undefined}
    unit={p.field.hint.unit ? p.i18n.l(p.field.hint.unit) : p.field.hint.widget === 'percent' ? '%' : undefined}
    nullable={isNullable(p.schema)}
  />
);
const textControl = (p: ControlProps) => (
  <TextInput
    {...common(p)}
    value={p.value as string | undefined}
    type={p.field.hint.widget === 'url' ? 'url' : 'text'}
  />
);

/** One dedicated control per UI hint widget (the table is typed against HANDLED_WIDGETS). */
const CONTROLS: Record<HandledWidget, (p: ControlProps) => ReactNode> = {
  text: textControl,
  url: textControl,
  time_zone: textControl,
  textarea: (p) => <TextInput {...common(p)} value={p.value as string | undefined} multiline />,
  time: (p) =>
    typeof p.value === 'string' ? (
      <TimeSelect
        id={p.id}
        label={p.i18n.l(p.field.hint.label)}
        disabled={p.disabled}
        value={p.value}
        onChange={p.onChange}
      />
    ) : (
      <TextInput {...common(p)} value={undefined} type="time" />
    ),
  number: numberControl,
  money: numberControl,
  percent: numberControl,
  switch: (p) => <SwitchInput {...common(p)} value={p.value as boolean | undefined} />,
  select: (p) => (
    <SelectInput
      {...common(p)}
      value={p.value as string | undefined}
      values={enumValues(p.schema)}
      labels={p.field.hint.options}
    />
  ),
  multiselect: (p) => (
    <MultiSelectInput
      {...common(p)}
      value={p.value as string[] | undefined}
      values={enumValues(p.schema)}
      labels={p.field.hint.options}
    />
  ),
  tags: (p) => <TagsInput {...common(p)} value={p.value as string[] | undefined} />,
  weekdays: (p) => <WeekdaysInput {...common(p)} value={p.value as number[] | undefined} />,
  duration: (p) => <DurationPicker {...common(p)} value={p.value as Duration | undefined} />,
  node_refs: (p) => (
    <NodeRefsInput {...common(p)} value={p.value as string[] | undefined} nodes={p.context.otherNodes} />
  ),
  segment: (p) => <SegmentBuilder {...common(p)} value={p.value as SegmentInput | undefined} />,
  condition: (p) => <ConditionBuilder {...common(p)} value={p.value as Condition | undefined} />,
  branches: (p) => (
    <BranchesBuilder {...common(p)} value={p.value as ComponentProps<typeof BranchesBuilder>['value']} />
  ),
  sms_template: (p) => (
    <SmsEditor
      {...common(p)}
      value={p.value as string | undefined}
      smsClass={(p.context.config.smsClass as SmsClass | undefined) ?? 'marketing'}
      settings={p.context.settings}
    />
  ),
  template_text: (p) => <TemplateTextInput {...common(p)} value={p.value as string | undefined} />,
  time_windows: (p) => <TimeWindowsPicker {...common(p)} value={p.value as TimeWindow[] | undefined} />,
  arms: (p) => <ArmsInput {...common(p)} value={p.value as Arm[] | undefined} />,
  schedule: (p) => <ScheduleInput {...common(p)} value={p.value as Schedule | undefined} />,
  reentry: (p) => <ReentryInput {...common(p)} value={p.value as Reentry | undefined} />,
  date_rule: (p) => <DateRuleInput {...common(p)} value={p.value as DateRule | undefined} />,
};

/**
 * The control for one config field, chosen by its UI hint widget. Nested structures also open as
 * JSON behind a small per-field toggle (an expert option; the form is the default view).
 */
export function FieldWidget(props: Omit<ControlProps, 'i18n'>) {
  const i18n = useI18n();
  const [asJson, setAsJson] = useState(false);
  const widget = props.field.hint.widget;
  // Only a widget added to ui.ts without a control lands here (the widget coverage test fails then).
  if (!isHandledWidget(widget)) return <JsonEditor {...common({ ...props, i18n })} value={props.value} />;
  const control = CONTROLS[widget]({ ...props, i18n });
  if (!STRUCTURED_WIDGETS.has(widget)) return control;
  return (
    <div className="field-structured">
      <button
        type="button"
        className={`chip field-json-toggle ${asJson ? 'is-on' : ''}`}
        style={{ float: 'right', fontSize: 10, padding: '0 6px', marginTop: -22 }}
        title={i18n.t('formJsonToggle')}
        onClick={() => setAsJson((v) => !v)}
        data-testid={`json-toggle-${props.field.key}`}
      >
        {i18n.t('segShowJson')}
      </button>
      {asJson ? <JsonEditor {...common({ ...props, i18n })} value={props.value} /> : control}
    </div>
  );
}
