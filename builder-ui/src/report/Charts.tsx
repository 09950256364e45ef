import type { ReportRow } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { formatMoney, formatRate, formatRatio } from './format.ts';

const W = 520;
const H = 180;
const PAD = { left: 40, right: 12, top: 14, bottom: 34 };

/** One label per report row: checkpoint, and the cycle when the journey repeats. */
export function rowLabel(row: ReportRow): string {
  return row.cycle > 0 ? `${row.checkpoint} #${row.cycle}` : row.checkpoint;
}

function Axis({ max, format }: { max: number; format: (v: number) => string }) {
  const ticks = [0, 0.5, 1].map((f) => f * max);
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - (max === 0 ? 0 : v / max));
  return (
    <g className="chart-axis">
      {ticks.map((v) => (
        <g key={v}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
          <text x={PAD.left - 4} y={y(v) + 3} textAnchor="end">
            {format(v)}
          </text>
        </g>
      ))}
    </g>
  );
}

/** Response rate per checkpoint and cycle: treatment next to holdout, the gap is the lift. */
export function ResponseChart({ rows }: { rows: readonly ReportRow[] }) {
  const { t } = useI18n();
  const values = rows.map((r) => [r.treatment.metrics.responseRate ?? 0, r.holdout.metrics.responseRate ?? 0] as const);
  const max = Math.max(0.01, ...values.flat());
  const band = (W - PAD.left - PAD.right) / Math.max(1, rows.length);
  const barW = Math.min(26, band / 3);
  const h = (v: number) => (H - PAD.top - PAD.bottom) * (v / max);
  return (
    <figure className="chart" data-testid="chart-response">
      <figcaption>{t('chartResponse')}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('chartResponse')}>
        <Axis max={max} format={formatRate} />
        {rows.map((row, i) => {
          const x = PAD.left + band * i + band / 2;
          const [tr, ho] = values[i];
          return (
            <g key={i}>
              <rect className="bar-treatment" x={x - barW - 1} y={H - PAD.bottom - h(tr)} width={barW} height={h(tr)}>
                <title>{`${t('treatment')} ${formatRate(tr)}`}</title>
              </rect>
              <rect className="bar-holdout" x={x + 1} y={H - PAD.bottom - h(ho)} width={barW} height={h(ho)}>
                <title>{`${t('holdoutArm')} ${formatRate(ho)}`}</title>
              </rect>
              <text className="chart-label" x={x} y={H - PAD.bottom + 14} textAnchor="middle">
                {rowLabel(row)}
              </text>
            </g>
          );
        })}
      </svg>
      <div className="chart-legend">
        <span className="swatch bar-treatment" /> {t('treatment')} <span className="swatch bar-holdout" />{' '}
        {t('holdoutArm')}
      </div>
    </figure>
  );
}

/** Cost per checkpoint and cycle as bars, with the treatment's ROI written above each. */
export function CostRoiChart({ rows }: { rows: readonly ReportRow[] }) {
  const { t, lang } = useI18n();
  const max = Math.max(1, ...rows.map((r) => r.treatment.cost));
  const band = (W - PAD.left - PAD.right) / Math.max(1, rows.length);
  const barW = Math.min(40, band / 2);
  const h = (v: number) => (H - PAD.top - PAD.bottom - 12) * (v / max);
  return (
    <figure className="chart" data-testid="chart-cost">
      <figcaption>{t('chartCostRoi')}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('chartCostRoi')}>
        <Axis max={max} format={(v) => formatMoney(v, lang)} />
        {rows.map((row, i) => {
          const x = PAD.left + band * i + band / 2;
          const top = H - PAD.bottom - h(row.treatment.cost);
          return (
            <g key={i}>
              <rect className="bar-cost" x={x - barW / 2} y={top} width={barW} height={h(row.treatment.cost)}>
                <title>{formatMoney(row.treatment.cost, lang)}</title>
              </rect>
              <text className="chart-value" x={x} y={top - 3} textAnchor="middle">
                {formatRatio(row.treatment.metrics.roi)}
              </text>
              <text className="chart-label" x={x} y={H - PAD.bottom + 14} textAnchor="middle">
                {rowLabel(row)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
