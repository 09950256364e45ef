import type { ReactNode } from 'react';
import { createContext, useContext, useState } from 'react';
import { useI18n } from '../i18n.ts';

/** True once the marketer asked for a check (校验) or tried to publish: every field then shows its error. */
export const RevealErrorsContext = createContext(false);

/**
 * Label, help and error around one form control. The error waits until the field is touched (edited
 * or left) or a check was asked for: a freshly opened form is never red.
 */
export function FieldRow(props: {
  label: string;
  htmlFor?: string;
  required?: boolean;
  help?: string;
  error?: string;
  children: ReactNode;
  testId?: string;
}) {
  const { t } = useI18n();
  const reveal = useContext(RevealErrorsContext);
  // Rows are reused across nodes (same key per field): a touch counts for the control it was made on.
  const [touchedFor, setTouchedFor] = useState<string | null>(null);
  const control = props.htmlFor ?? props.label;
  const touch = () => setTouchedFor(control);
  const error = props.error && (reveal || touchedFor === control) ? props.error : undefined;
  return (
    <div
      className={`field ${error ? 'has-error' : ''}`}
      data-testid={props.testId}
      data-touched={touchedFor === control ? 'true' : undefined}
      onChange={touch}
      onInput={touch}
      onBlur={touch}
    >
      <label className="field-label" htmlFor={props.htmlFor}>
        {props.label}
        {props.required ? (
          <span className="field-required" title={t('required')}>
            *
          </span>
        ) : null}
      </label>
      {props.children}
      {props.help ? <div className="field-help">{props.help}</div> : null}
      {error ? (
        <div className="field-error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}
