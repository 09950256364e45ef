// One customer's page: profile, purchases and lifecycle, whether marketing may reach them, their
// segments, orders, messages and journeys, and a link that simulates a journey for them.
import { useEffect, useState } from 'react';
import { lifecycleGroupLabels } from '@huitou/schemas';
import type { CustomerProfile } from '@huitou/schemas/http';
import { ApiRequestError } from '../../api.ts';
import { describeError } from '../../errors.ts';
import type { MessageKey } from '../../i18n.ts';
import { useI18n } from '../../i18n.ts';
import { PageHeader } from '../../PageHeader.tsx';
import { Link } from '../../router.tsx';
import { paths } from '../../routes.ts';
import { useSession } from '../../session.ts';
import { CustomerJourneys, CustomerMessages, CustomerOrders } from './CustomerHistory.tsx';
import { CustomerSegmentsSlot } from './CustomerSegmentsSlot.tsx';
import { customerProfile } from './customers-api.ts';
import { formatDate, formatDateTime, money } from './format.ts';
import { SimulateLink } from './SimulateLink.tsx';

const genderKeys = {
  male: 'cuGenderMale',
  female: 'cuGenderFemale',
  unknown: 'cuGenderUnknown',
} as const satisfies Record<CustomerProfile['gender'], MessageKey>;

type HistoryTab = 'orders' | 'messages' | 'journeys';
const historyTabs: readonly (readonly [HistoryTab, MessageKey])[] = [
  ['orders', 'cuOrderList'],
  ['messages', 'cuMessageList'],
  ['journeys', 'cuJourneyList'],
];

export function CustomerView({ customerId }: { customerId: string }) {
  const i18n = useI18n();
  const { t, l, lang } = i18n;
  const session = useSession();
  const [profile, setProfile] = useState<CustomerProfile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<HistoryTab>('orders');

  useEffect(() => {
    let live = true;
    setProfile(null);
    setError(null);
    customerProfile(customerId).then(
      (p) => live && setProfile(p),
      (e: unknown) =>
        live && setError(e instanceof ApiRequestError && e.status === 404 ? t('cuNotFound') : describeError(e, i18n)),
    );
    return () => {
      live = false;
    };
  }, [customerId, i18n, t]);

  const back = (
    <Link className="btn btn-ghost" to={paths.customers}>
      {t('cuBack')}
    </Link>
  );
  if (error)
    return (
      <>
        <PageHeader title={t('navCustomers')}>{back}</PageHeader>
        <div className="page-empty" data-testid="customer-error">
          {error}
        </div>
      </>
    );
  if (!profile) return null;

  const { rfm, optOut, marketing } = profile;
  const place = [profile.province, profile.city].filter(Boolean).join(' ');
  const facts: [string, string][] = [
    [t('cuExternalId'), profile.externalId ?? '—'],
    [t('cuPhone'), profile.phone ?? '—'],
    [t('cuName'), profile.name ?? '—'],
    [t('cuGender'), t(genderKeys[profile.gender])],
    [t('cuPlace'), place || '—'],
    [t('cuBirthday'), profile.birthday ?? '—'],
    [t('cuTags'), profile.tags.join('、') || '—'],
    [t('cuRegistered'), formatDate(profile.registeredAt, lang)],
  ];
  const purchases: [string, string][] = [
    [t('cuPurchases'), String(rfm.purchases)],
    [t('cuSpend'), money(rfm.totalSpend)],
    [
      t('cuLastPurchase'),
      rfm.lastPurchaseAt
        ? `${formatDate(rfm.lastPurchaseAt, lang)}（${t('cuDaysAgo', { n: rfm.daysSinceLastPurchase ?? 0 })}）`
        : '—',
    ],
    [t('cuLifecycle'), l(lifecycleGroupLabels[rfm.lifecycle])],
  ];

  return (
    <div data-testid="customer-page" data-customer-id={profile.id}>
      <PageHeader
        title={profile.nickname}
        subtitle={`${t('cuNumber', { id: profile.id })} · ${t('cuMarketed', { n: marketing.timesMarketed, r: marketing.timesResponded })}`}
      >
        {session.can('journeys.write') && <SimulateLink customerId={profile.id} />}
        {back}
      </PageHeader>
      <div className="customer-cards">
        <section className="customer-section" data-testid="customer-profile">
          <h2>{t('cuProfile')}</h2>
          <Facts rows={facts} />
        </section>
        <section className="customer-section" data-testid="customer-rfm">
          <h2>{t('cuRfm')}</h2>
          <Facts rows={purchases} />
        </section>
        <section className="customer-section" data-testid="customer-contact">
          <h2>{t('cuContact')}</h2>
          <p className={optOut.optedOut ? 'customer-skipped' : undefined} data-testid="customer-opt-out">
            {optOut.optedOut
              ? t('cuOptedOut', {
                  since: optOut.since ? formatDateTime(optOut.since, lang) : '—',
                  source: optOut.source ?? '—',
                })
              : t('cuSubscribed')}
          </p>
          {optOut.suppressions.map((s) => (
            <p key={`${s.reason}-${s.createdAt}`} className="customer-skipped">
              {t('cuSuppressed', { reason: s.reason, until: s.until ? formatDate(s.until, lang) : t('cuForever') })}
            </p>
          ))}
        </section>
      </div>
      <CustomerSegmentsSlot customerId={profile.id} />
      <div className="tabs customer-tabs" role="tablist">
        {historyTabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={`tab ${tab === id ? 'is-on' : ''}`}
            onClick={() => setTab(id)}
            data-testid={`customer-tab-${id}`}
          >
            {t(label)}
          </button>
        ))}
      </div>
      {tab === 'orders' && <CustomerOrders customerId={customerId} />}
      {tab === 'messages' && <CustomerMessages customerId={customerId} />}
      {tab === 'journeys' && <CustomerJourneys customerId={customerId} />}
    </div>
  );
}

function Facts({ rows }: { rows: [string, string][] }) {
  return (
    <dl className="customer-facts">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
