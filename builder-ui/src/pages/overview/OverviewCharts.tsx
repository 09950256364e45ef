// The overview's small hand-written charts: a figure frame with a hover tip (the exact numbers),
// columns over periods, and horizontal bars whose rows can link to a new segment.
import type { ReactNode } from 'react';
import { useState } from 'react';
import { Link } from '../../router.tsx';
import { scaleMax } from './overview-model.ts';

/** Props that show `text` in the figure's tip while the mark is hovered or focused. */
export type TipBind = (text: string) => {
  onMouseEnter: () => void;
  onMouseLeave: () => void;
  onFocus: () => void;
  onBlur: () => void;
};

export function Figure({
  id,
  title,
  extra,
  wide,
  children,
}: {
  readonly id: string;
  readonly title: string;
  readonly extra?: ReactNode;
  readonly wide?: boolean;
  readonly children: (tip: TipBind) => ReactNode;
}) {
  const [tip, setTip] = useState<string | null>(null);
  const bind: TipBind = (text) => ({
    onMouseEnter: () => setTip(text),
    onMouseLeave: () => setTip(null),
    onFocus: () => setTip(text),
    onBlur: () => setTip(null),
  });
  return (
    <figure className={`chart ov-figure${wide ? ' ov-wide' : ''}`} data-testid={`overview-${id}`}>
      <figcaption>
        {title}
        {extra}
      </figcaption>
      {children(bind)}
      <div className="ov-tip" data-testid="overview-tip" aria-live="polite">
        {tip ?? '\u00a0'}
      </div>
    </figure>
  );
}

const W = 640;
const H = 170;
const PAD = { left: 8, right: 8, top: 8, bottom: 22 };

/** Stacked columns, one per period; every mark's tip is the period's numbers. */
export function Columns({
  labels,
  series,
  tipOf,
  tip,
}: {
  readonly labels: readonly string[];
  readonly series: readonly { readonly className: string; readonly values: readonly number[] }[];
  readonly tipOf: (i: number) => string;
  readonly tip: TipBind;
}) {
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = scaleMax(totals);
  const band = (W - PAD.left - PAD.right) / Math.max(1, labels.length);
  const barW = Math.max(1, Math.min(28, band * 0.7));
  const h = (v: number) => (H - PAD.top - PAD.bottom) * (v / max);
  // At most about 8 labels under the axis, evenly spaced.
  const every = Math.max(1, Math.ceil(labels.length / 8));
  return (
    <svg viewBox={`0 0 ${W} ${H}`} role="img">
      <line className="ov-axis" x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} />
      {labels.map((label, i) => {
        const x = PAD.left + band * i + (band - barW) / 2;
        let base = H - PAD.bottom;
        const text = tipOf(i);
        return (
          <g key={label} {...tip(text)} tabIndex={0} data-testid="overview-column" data-period={label}>
            <rect
              className="ov-hit"
              x={PAD.left + band * i}
              y={PAD.top}
              width={band}
              height={H - PAD.top - PAD.bottom}
            />
            {series.map((s) => {
              const height = h(s.values[i] ?? 0);
              base -= height;
              return <rect key={s.className} className={s.className} x={x} y={base} width={barW} height={height} />;
            })}
            <title>{text}</title>
            {i % every === 0 && (
              <text className="chart-label" x={x + barW / 2} y={H - 6} textAnchor="middle">
                {label.slice(5)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

export interface BarRow {
  readonly key: string;
  readonly label: string;
  readonly value: number;
  /** What the value reads as, at the row's end. */
  readonly shown: string;
  readonly tip: string;
  /** A link to a new segment of these customers. */
  readonly to?: string;
}

/** Horizontal bars, one per row, scaled to the largest; a row with `to` is a link. */
export function Bars({
  rows,
  tip,
  testId,
}: {
  readonly rows: readonly BarRow[];
  readonly tip: TipBind;
  readonly testId: string;
}) {
  const max = scaleMax(rows.map((r) => r.value));
  return (
    <ul className="ov-bars">
      {rows.map((r) => {
        const body = (
          <>
            <span className="ov-bar-label">{r.label}</span>
            <span className="ov-bar-track">
              <span className="ov-bar" style={{ width: `${(100 * r.value) / max}%` }} />
            </span>
            <span className="ov-bar-value">{r.shown}</span>
          </>
        );
        return (
          <li key={r.key} data-testid={testId} data-key={r.key}>
            {r.to ? (
              <Link className="ov-bar-row is-link" to={r.to} title={r.tip} {...tip(r.tip)}>
                {body}
              </Link>
            ) : (
              <span className="ov-bar-row" title={r.tip} tabIndex={0} {...tip(r.tip)}>
                {body}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
