import type { AbSplitReport } from '../api.ts';
import type { Lang, MessageKey } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import { LiftLine } from './ReportPanel.tsx';
import { formatCount, formatMoney, formatP, formatRate, formatRatio } from './format.ts';

type Arm = AbSplitReport['arms'][number];

/** The arms' rows side by side: members, conversion, sales, cost, ROI (treatment members only). */
const rows: readonly [MessageKey, string, (a: Arm) => number | null, (v: number | null, lang: Lang) => string][] = [
  ['abMembers', 'targets', (a) => a.treatment.targets, formatCount],
  ['repBuyers', 'buyers', (a) => a.treatment.buyers, formatCount],
  ['abConversion', 'rate', (a) => a.treatment.metrics.responseRate, (v) => formatRate(v)],
  ['repSales', 'sales', (a) => a.treatment.sales, formatMoney],
  ['repCost', 'cost', (a) => a.treatment.cost, formatMoney],
  ['repRoi', 'roi', (a) => a.treatment.metrics.roi, (v) => formatRatio(v)],
];

/** "= 0.007", or "< 0.001" (never "= < 0.001"). */
const pText = (p: number) => (p < 0.001 ? formatP(p) : `= ${formatP(p)}`);

/** Percentage points with one decimal, unsigned (the words say higher or lower). */
const points = (rate: number) => Math.abs(rate * 100).toFixed(1);

/** One random split: its arms side by side, the leader against the runner-up with the interval, the verdict. */
function AbSplit({ split, title }: { split: AbSplitReport; title: string }) {
  const { t, lang } = useI18n();
  const name = (key: string | null) => split.arms.find((a) => a.key === key)?.name ?? '';
  const { verdict } = split;
  const margin = verdict.margin;
  const small = split.arms.filter((a) => a.treatment.targets < verdict.minMembers);
  const why =
    verdict.reason === 'too_few_members'
      ? t('abTooFew', {
          min: verdict.minMembers,
          arms: small.map((a) => `${a.name} ${formatCount(a.treatment.targets, lang)}`).join('、'),
        })
      : verdict.reason === 'not_significant'
        ? t('abNotSignificant', { p: margin ? pText(margin.pValue) : '—', alpha: verdict.alpha })
        : '';
  return (
    <section
      className="report-card ab-split"
      data-testid={`ab-${split.nodeId}`}
      data-checkpoint={split.checkpoint ?? ''}
      data-winner={verdict.winner ?? ''}
    >
      <div className="report-card-head">
        <b>{t('abTitle', { split: title })}</b>
        {split.checkpoint !== null && (
          <span className="report-group">
            {split.cycle > 0 ? `${split.checkpoint} #${split.cycle}` : split.checkpoint}
          </span>
        )}
      </div>
      <table className="report-table ab-table">
        <thead>
          <tr>
            <th />
            {split.arms.map((a) => (
              <th key={a.key} className={a.key === verdict.winner ? 'ab-winner' : ''}>
                {a.name} <span className="ab-percent">{a.percent}%</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, key, value, show]) => (
            <tr key={key}>
              <th scope="row">{t(label)}</th>
              {split.arms.map((a) => {
                const v = value(a);
                return (
                  <td key={a.key} data-cell={`${a.key}.${key}`} data-value={v ?? ''}>
                    {show(v, lang)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="ab-hint">{t('abRateHint')}</p>
      {margin && (
        <div
          className="lift"
          data-testid="ab-margin"
          data-value={margin.absolute}
          data-p={margin.pValue}
          data-significant={String(margin.significant)}
        >
          {t(margin.absolute >= 0 ? 'abMarginHigher' : 'abMarginLower', {
            arm: name(margin.arm),
            versus: name(margin.versus),
            points: points(margin.absolute),
            relative:
              margin.relative === null ? '—' : `${margin.relative > 0 ? '+' : ''}${formatRate(margin.relative)}`,
            low: (margin.ciLow * 100).toFixed(1),
            high: (margin.ciHigh * 100).toFixed(1),
            p: pText(margin.pValue),
          })}
        </div>
      )}
      <div
        className={`ab-verdict ${verdict.winner ? 'is-winner' : ''}`}
        data-testid="ab-verdict"
        data-winner={verdict.winner ?? ''}
        data-reason={verdict.reason ?? ''}
      >
        {verdict.winner && margin
          ? t('abWinner', { arm: name(verdict.winner), points: points(margin.absolute) })
          : t('abNoWinner', { why })}
      </div>
      <details className="ab-holdouts">
        <summary>{t('abVsHoldout')}</summary>
        {split.arms.map((a) => (
          <div key={a.key} className="ab-holdout" data-arm={a.key}>
            <b>{a.name}</b>
            <LiftLine lift={a.lift} incrementalSales={null} />
          </div>
        ))}
      </details>
    </section>
  );
}

/** Every random split of the report (none: nothing shown). */
export function AbResults({
  ab,
  splitTitle,
}: {
  ab: readonly AbSplitReport[];
  /** The split's title on the canvas, when the caller knows the graph. */
  splitTitle?: (nodeId: string) => string;
}) {
  const { t } = useI18n();
  if (ab.length === 0) return null;
  return (
    <div className="ab-results" data-testid="ab-results" data-splits={ab.length}>
      {ab.map((s) => (
        <AbSplit
          key={`${s.nodeId} ${s.checkpoint ?? ''} ${s.cycle}`}
          split={s}
          title={s.label ?? splitTitle?.(s.nodeId) ?? t('abSplitUnnamed')}
        />
      ))}
    </div>
  );
}
