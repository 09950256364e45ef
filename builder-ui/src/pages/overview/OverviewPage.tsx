// 店铺概览: the shop at a glance (GET /api/shop/overview). The period, range and RFM M are in the
// URL; every number shows on hover; each group, province, category and cohort opens a new segment.
import { useEffect, useState } from 'react';
import { lifecycleGroupLabels, rfmGroups } from '@huitou/schemas';
import type { ShopOverview } from '../../api.ts';
import { shopOverview, shopOverviewCsv } from '../../api.ts';
import { describeError } from '../../errors.ts';
import { useI18n } from '../../i18n.ts';
import { PageHeader } from '../../PageHeader.tsx';
import { formatCount, formatMoney, formatRate } from '../../report/format.ts';
import { Link, navigate, useLocation } from '../../router.tsx';
import { paths } from '../../routes.ts';
import { Bars, Columns, Figure } from './OverviewCharts.tsx';
import type { OverviewChoice } from './overview-model.ts';
import {
  categorySegment,
  choiceOf,
  cohortSegment,
  lifecycleSegment,
  newSegmentLink,
  provinceSegment,
  queryOf,
  rfmSegment,
} from './overview-model.ts';
import './overview.css';

const PERIODS = [
  ['day', 'overviewDay'],
  ['week', 'overviewWeek'],
  ['month', 'overviewMonth'],
] as const;

export function OverviewPage() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const choice = choiceOf(useLocation().searchParams);
  const query = queryOf(choice);
  const [data, setData] = useState<{ query: string; overview: ShopOverview } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    shopOverview(query).then(
      (overview) => live && setData({ query, overview }),
      (e) => live && setError(describeError(e, i18n)),
    );
    return () => {
      live = false;
    };
  }, [query]); // i18n only words the error
  const o = data?.overview;
  const loading = data?.query !== query;
  const [downloading, setDownloading] = useState(false);
  // Fetched on click, not with every view: the export runs every figure's query again.
  const downloadCsv = () => {
    setDownloading(true);
    shopOverviewCsv(query, lang)
      .then(
        (csv) => {
          const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
          const a = document.createElement('a');
          a.href = url;
          a.download = `shop-overview-${o?.from ?? ''}-${o?.to ?? ''}-${choice.period}.csv`;
          a.click();
          setTimeout(() => URL.revokeObjectURL(url), 60_000);
        },
        (e) => setError(describeError(e, i18n)),
      )
      .finally(() => setDownloading(false));
  };
  const choose = (next: Partial<OverviewChoice>) =>
    navigate(`${paths.overview}?${queryOf({ ...choice, ...next })}`, { replace: true });

  return (
    <div className="ov-page" data-testid="overview-page" aria-busy={loading}>
      <PageHeader
        title={t('navOverview')}
        subtitle={o ? t('overviewSubtitle', { from: o.from, to: o.to, zone: o.timeZone }) : t('overviewLoading')}
      >
        <div className="period-picker">
          <div className="segmented" role="radiogroup" aria-label={t('overviewPeriod')}>
            {PERIODS.map(([p, label]) => (
              <button
                key={p}
                type="button"
                role="radio"
                aria-checked={choice.period === p}
                className={`tab ${choice.period === p ? 'is-on' : ''}`}
                onClick={() => choose({ period: p })}
                data-testid={`overview-period-${p}`}
              >
                {t(label)}
              </button>
            ))}
          </div>
          <input
            type="date"
            className="input"
            aria-label={t('overviewFrom')}
            value={choice.from}
            onChange={(e) => choose({ from: e.target.value })}
            data-testid="overview-from"
          />
          <span>–</span>
          <input
            type="date"
            className="input"
            aria-label={t('overviewTo')}
            value={choice.to}
            onChange={(e) => choose({ to: e.target.value })}
            data-testid="overview-to"
          />
        </div>
        <button
          type="button"
          className="btn"
          onClick={downloadCsv}
          disabled={loading || downloading}
          data-testid="overview-csv"
        >
          {t('overviewCsv')}
        </button>
      </PageHeader>
      {error && (
        <p className="ov-error" role="alert">
          {error}
        </p>
      )}
      {o && <Figures o={o} />}
    </div>
  );
}

function Figures({ o }: { readonly o: ShopOverview }) {
  const { t, l, lang } = useI18n();
  const money = (n: number) => formatMoney(n, lang);
  const count = (n: number) => formatCount(n, lang);
  const range = `${o.from}~${o.to}`;
  const name = (figure: string, value: string) => t('overviewSegmentName', { figure, value });
  const place = (p: string | null) => p ?? t('overviewUnknownPlace');
  const monetaryLabel = t(o.monetary === 'aov' ? 'overviewRfmAov' : 'overviewRfmSum');

  return (
    <div className="ov-grid">
      <Figure id="trend" title={t('overviewTrend')}>
        {(tip) => (
          <Columns
            labels={o.trend.map((p) => p.period)}
            series={[{ className: 'ov-sales', values: o.trend.map((p) => p.sales) }]}
            tipOf={(i) =>
              t('overviewTrendTip', {
                period: o.trend[i].period,
                sales: money(o.trend[i].sales),
                orders: count(o.trend[i].orders),
                buyers: count(o.trend[i].buyers),
              })
            }
            tip={tip}
          />
        )}
      </Figure>
      <Figure
        id="new-returning"
        title={t('overviewNewReturning')}
        extra={
          <span className="chart-legend">
            <span className="swatch ov-new" /> {t('overviewNew')} <span className="swatch ov-returning" />{' '}
            {t('overviewReturning')}
          </span>
        }
      >
        {(tip) => (
          <Columns
            labels={o.newReturning.map((p) => p.period)}
            series={[
              { className: 'ov-new', values: o.newReturning.map((p) => p.newBuyers) },
              { className: 'ov-returning', values: o.newReturning.map((p) => p.returningBuyers) },
            ]}
            tipOf={(i) =>
              t('overviewNewReturningTip', {
                period: o.newReturning[i].period,
                new: count(o.newReturning[i].newBuyers),
                returning: count(o.newReturning[i].returningBuyers),
              })
            }
            tip={tip}
          />
        )}
      </Figure>

      <Figure
        id="rfm"
        title={t('overviewRfm')}
        wide
        extra={
          <span className="segmented ov-monetary" role="radiogroup" aria-label={t('overviewRfm')}>
            {(['sum', 'aov'] as const).map((m) => (
              <Link
                key={m}
                role="radio"
                aria-checked={o.monetary === m}
                className={`tab ${o.monetary === m ? 'is-on' : ''}`}
                to={`${paths.overview}?${queryOf({ period: o.period, monetary: m, from: o.from, to: o.to })}`}
                data-testid={`overview-monetary-${m}`}
              >
                {t(m === 'aov' ? 'overviewRfmAov' : 'overviewRfmSum')}
              </Link>
            ))}
          </span>
        }
      >
        {(tip) => (
          <>
            <div className="ov-tiles">
              {o.rfm.map((g) => {
                const label = l(rfmGroups[g.group].label);
                const text = t('overviewGroupTip', { group: label, count: count(g.customers) });
                return (
                  <Link
                    key={g.group}
                    className={`ov-tile${g.warning ? ' is-warning' : ''}`}
                    to={newSegmentLink(name(label, monetaryLabel), rfmSegment(g.group, o.monetary))}
                    title={`${text} · ${t('overviewToSegment')}`}
                    data-testid="overview-rfm-group"
                    data-group={g.group}
                    {...tip(text)}
                  >
                    <span className="ov-tile-name">{label}</span>
                    <strong className="ov-tile-count">{count(g.customers)}</strong>
                    {g.warning && <span className="ov-warning">{t('overviewTooBig')}</span>}
                  </Link>
                );
              })}
            </div>
            <p className="ov-note">{t('overviewNonBuyers', { count: count(o.nonBuyers) })}</p>
          </>
        )}
      </Figure>

      <Figure id="lifecycle" title={t('overviewLifecycle')}>
        {(tip) => (
          <Bars
            testId="overview-lifecycle-group"
            tip={tip}
            rows={o.lifecycle.map((g) => {
              const label = l(lifecycleGroupLabels[g.group]);
              return {
                key: g.group,
                label,
                value: g.customers,
                shown: count(g.customers),
                tip: t('overviewGroupTip', { group: label, count: count(g.customers) }),
                to: newSegmentLink(name(t('overviewLifecycle'), label), lifecycleSegment(g.group)),
              };
            })}
          />
        )}
      </Figure>
      <Figure id="retention" title={t('overviewRetention', { count: count(o.retention.firstTimeBuyers) })}>
        {(tip) => (
          <Bars
            testId="overview-retention"
            tip={tip}
            rows={([1, 3, 7, 30] as const).map((days) => {
              const rate = o.retention[`d${days}`];
              return {
                key: `d${days}`,
                label: t('overviewRetentionDays', { days }),
                value: rate ?? 0,
                shown: formatRate(rate),
                tip: t('overviewRetentionTip', { days, rate: formatRate(rate) }),
              };
            })}
          />
        )}
      </Figure>

      <Figure id="provinces" title={t('overviewProvinces')}>
        {(tip) => (
          <Bars
            testId="overview-province"
            tip={tip}
            rows={o.provinces.map((p) => ({
              key: p.province ?? '',
              label: place(p.province),
              value: p.sales,
              shown: money(p.sales),
              tip: t('overviewPlaceTip', { place: place(p.province), buyers: count(p.buyers), sales: money(p.sales) }),
              to: newSegmentLink(name(place(p.province), range), provinceSegment(p.province, o.from, o.to)),
            }))}
          />
        )}
      </Figure>
      <Figure id="categories" title={t('overviewCategories')}>
        {(tip) => (
          <Bars
            testId="overview-category"
            tip={tip}
            rows={o.categories.map((c) => ({
              key: c.key,
              label: c.name,
              value: c.sales,
              shown: money(c.sales),
              tip: t('overviewPlaceTip', { place: c.name, buyers: count(c.buyers), sales: money(c.sales) }),
              to: newSegmentLink(name(c.name, range), categorySegment(c.key, o.from, o.to)),
            }))}
          />
        )}
      </Figure>
      <Figure id="cities" title={t('overviewCities')}>
        {(tip) => (
          <Bars
            testId="overview-city"
            tip={tip}
            rows={o.cities.map((c) => {
              const label = c.city === null ? place(c.province) : `${c.province ?? ''} ${c.city}`.trim();
              return {
                key: `${c.province ?? ''}/${c.city ?? ''}`,
                label,
                value: c.sales,
                shown: money(c.sales),
                tip: t('overviewPlaceTip', { place: label, buyers: count(c.buyers), sales: money(c.sales) }),
              };
            })}
          />
        )}
      </Figure>

      <Figure id="repurchase" title={t('overviewRepurchase')}>
        {(tip) => (
          <table className="report-table ov-table">
            <thead>
              <tr>
                <th>{t('overviewMonthCol')}</th>
                <th>{t('overviewBuyersCol')}</th>
                <th>{t('overviewNextMonth')}</th>
                <th>{t('overviewTwoMonths')}</th>
                <th>{t('overviewQuarter')}</th>
              </tr>
            </thead>
            <tbody>
              {o.repurchase.map((r) => (
                <tr key={r.month}>
                  <th scope="row">{r.month.slice(0, 7)}</th>
                  <td>{count(r.buyers)}</td>
                  {(['nextMonth', 'twoMonths', 'quarter'] as const).map((k) => (
                    <td
                      key={k}
                      title={formatRate(r[k])}
                      style={{ background: `rgba(37, 99, 235, ${(0.35 * (r[k] ?? 0)).toFixed(3)})` }}
                      {...tip(`${r.month.slice(0, 7)} · ${formatRate(r[k])}`)}
                    >
                      {formatRate(r[k])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Figure>
      <Figure id="ltv" title={t('overviewLtv')}>
        {(tip) => (
          <table className="report-table ov-table">
            <thead>
              <tr>
                <th>{t('overviewCohortCol')}</th>
                <th>{t('overviewBuyersCol')}</th>
                {[0, 1, 2, 3].map((n) => (
                  <th key={n}>{t('overviewLtvMonth', { n })}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {o.ltv.map((c) => (
                <tr key={c.cohort} data-testid="overview-cohort" data-cohort={c.cohort}>
                  <th scope="row">
                    <Link
                      to={newSegmentLink(
                        name(t('overviewCohortCol'), c.cohort.slice(0, 7)),
                        cohortSegment(c.cohort, o.from, o.to),
                      )}
                      title={t('overviewToSegment')}
                    >
                      {c.cohort.slice(0, 7)}
                    </Link>
                  </th>
                  <td>{count(c.buyers)}</td>
                  {c.perBuyer.map((v, n) => (
                    <td key={n} {...tip(`${c.cohort.slice(0, 7)} ${t('overviewLtvMonth', { n })}: ${money(v)}`)}>
                      {money(v)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Figure>
    </div>
  );
}
