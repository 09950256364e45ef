import type { RefObject } from 'react';
import { useRef } from 'react';
import { templateVariables } from '@huitou/schemas';
import { useI18n } from '../i18n.ts';
import type { WidgetProps } from './basic-widgets.tsx';

const variableNames = Object.keys(templateVariables) as Array<keyof typeof templateVariables>;

/** Inserts `{name}` at the textarea's caret (or over its selection), then puts the caret after it. */
export function insertVariable(
  area: RefObject<HTMLTextAreaElement | null>,
  source: string,
  onChange: (value: string) => void,
  name: string,
): void {
  const el = area.current;
  const token = `{${name}}`;
  const start = el?.selectionStart ?? source.length;
  const end = el?.selectionEnd ?? source.length;
  onChange(source.slice(0, start) + token + source.slice(end));
  requestAnimationFrame(() => {
    el?.focus();
    el?.setSelectionRange(start + token.length, start + token.length);
  });
}

/** The template variables as chips; a click inserts one (SMS copy, e-mail bodies). */
export function VariableChips({ disabled, onPick }: { disabled: boolean; onPick: (name: string) => void }) {
  const { t, l } = useI18n();
  return (
    <div className="sms-vars" aria-label={t('smsVariables')}>
      <span className="sms-vars-title">{t('smsVariables')}</span>
      {variableNames.map((name) => (
        <button
          key={name}
          type="button"
          className="chip"
          disabled={disabled}
          onClick={() => onPick(name)}
          title={`{${name}}`}
        >
          {l(templateVariables[name].label)}
        </button>
      ))}
    </div>
  );
}

/** Text with template variables and the variable chips, without the SMS counter (e.g. an e-mail body). */
export function TemplateTextInput({ id, value, onChange, disabled }: WidgetProps<string>) {
  const area = useRef<HTMLTextAreaElement>(null);
  const source = value ?? '';
  return (
    <div className="template-text">
      <textarea
        ref={area}
        id={id}
        className="input"
        rows={8}
        disabled={disabled}
        value={source}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      />
      <VariableChips disabled={disabled} onPick={(name) => insertVariable(area, source, onChange, name)} />
    </div>
  );
}
