import type { ReactNode } from 'react';
import { useI18n } from '../i18n.ts';

/** Label, help and error around one form control. */
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
  return (
    <div className={`field ${props.error ? 'has-error' : ''}`} data-testid={props.testId}>
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
      {props.error ? <div className="field-error">{props.error}</div> : null}
    </div>
  );
}
