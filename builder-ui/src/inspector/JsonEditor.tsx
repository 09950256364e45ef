import { useEffect, useState } from 'react';
import { useI18n } from '../i18n.ts';
import { jsonErrorText } from '../messages.ts';
import type { WidgetProps } from './basic-widgets.tsx';

const pretty = (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 2));

/**
 * A structured JSON editor for the nested configs that have no hand-written widget yet (segments,
 * branches, schedules...). The text is kept while it does not parse, so typing never loses work;
 * the compiler's errors below the field say what the journey language expects.
 */
export function JsonEditor({ id, value, onChange, disabled }: WidgetProps<unknown>) {
  const i18n = useI18n();
  const { t } = i18n;
  const [text, setText] = useState(() => pretty(value));
  const [parseError, setParseError] = useState<string | null>(null);

  // Follow outside changes (undo, another node selected) unless they are our own echo.
  useEffect(() => {
    setText((current) => {
      try {
        if (current.trim() !== '' && JSON.stringify(JSON.parse(current)) === JSON.stringify(value)) return current;
      } catch {
        /* the text was mid-edit: replace it */
      }
      return pretty(value);
    });
    setParseError(null);
  }, [value]);

  const onText = (next: string) => {
    setText(next);
    if (next.trim() === '') {
      setParseError(null);
      onChange(undefined);
      return;
    }
    try {
      onChange(JSON.parse(next) as unknown);
      setParseError(null);
    } catch {
      setParseError(jsonErrorText(next, i18n));
    }
  };

  return (
    <div className="json-editor">
      <textarea
        id={id}
        className="input mono"
        spellCheck={false}
        disabled={disabled}
        rows={Math.min(14, Math.max(3, text.split('\n').length))}
        value={text}
        onChange={(e) => onText(e.target.value)}
      />
      <div className="field-help">{t('jsonHelp')}</div>
      {parseError ? <div className="field-error">{parseError}</div> : null}
    </div>
  );
}
