import type { ReactNode } from 'react';

/** A labelled control of the data pages' forms: the label above, the control below. */
export function DataField({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <label className="data-field">
      <span className="field-label">{label}</span>
      {children}
    </label>
  );
}
