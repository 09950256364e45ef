import type { HTMLAttributes } from 'react';
import { useI18n } from '../i18n.ts';

export interface NodeFigure {
  readonly key: string;
  readonly label: string;
  readonly value: number;
  /** The figure to read first (e.g. members here now): drawn in the card's accent colour. */
  readonly lead?: boolean;
}

/** Figures at a card's foot as large numbers with a small caption (在此 223 · 已通过 1,024). */
export function NodeFigures({
  figures,
  ...rest
}: { figures: readonly NodeFigure[] } & HTMLAttributes<HTMLDivElement> & Record<`data-${string}`, unknown>) {
  const { lang } = useI18n();
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  return (
    <div className="jnode-figures" {...rest}>
      {figures.map((f) => (
        <div key={f.key} className={`jnode-figure ${f.lead ? 'is-lead' : ''}`} data-figure={f.key}>
          <span className="jnode-figure-value">{f.value.toLocaleString(locale)}</span>
          <span className="jnode-figure-label">{f.label}</span>
        </div>
      ))}
    </div>
  );
}
