// The customer page's lists, newest first, a page at a time: orders, messages (sent, or skipped
// with the reason) and the journeys the customer is or was in.
import type { ReactNode } from 'react';
import type { CustomerJourney, CustomerMessage, CustomerOrder } from '@huitou/schemas/http';
import type { MessageKey } from '../../i18n.ts';
import { useI18n } from '../../i18n.ts';
import { skipReasonLabel } from '../../messages.ts';
import { Link } from '../../router.tsx';
import { paths } from '../../routes.ts';
import { customerJourneys, customerMessages, customerOrders } from './customers-api.ts';
import { formatDateTime, money } from './format.ts';
import { usePaged } from './usePaged.ts';

const orderStatusKeys: Record<string, MessageKey> = {
  created: 'cuOrderCreated',
  paid: 'cuOrderPaid',
  shipped: 'cuOrderShipped',
  completed: 'cuOrderCompleted',
  closed: 'cuOrderClosed',
  refunded: 'cuOrderRefunded',
};

function Section<T>(props: {
  title: string;
  testId: string;
  empty: string;
  list: { items: T[] | null; next: number | null; error: string | null; more: () => Promise<void> };
  head: ReactNode;
  row: (item: T) => ReactNode;
}) {
  const { t } = useI18n();
  const { items, next, error, more } = props.list;
  return (
    <section className="customer-section" data-testid={props.testId}>
      <h2>{props.title}</h2>
      {error && <div className="field-error">{error}</div>}
      {items?.length === 0 && <div className="empty-hint">{props.empty}</div>}
      {items && items.length > 0 && (
        <table className="data-table">
          <thead>{props.head}</thead>
          <tbody>{items.map(props.row)}</tbody>
        </table>
      )}
      {next !== null && (
        <button type="button" className="btn btn-ghost customer-more" onClick={() => void more()}>
          {t('cuMore')}
        </button>
      )}
    </section>
  );
}

export function CustomerOrders({ customerId }: { customerId: string }) {
  const { t, lang } = useI18n();
  const list = usePaged<CustomerOrder>(customerId, async (offset) => {
    const page = await customerOrders(customerId, offset);
    return { items: page.orders, next: page.next };
  });
  return (
    <Section
      title={t('cuOrderList')}
      testId="customer-orders"
      empty={t('cuNoOrders')}
      list={list}
      head={
        <tr>
          <th>{t('cuOrderNo')}</th>
          <th>{t('cuCreated')}</th>
          <th>{t('cuStatus')}</th>
          <th>{t('cuItems')}</th>
          <th className="num">{t('cuAmount')}</th>
        </tr>
      }
      row={(o) => {
        const status = orderStatusKeys[o.status];
        return (
          <tr key={o.id} data-testid={`order-${o.id}`}>
            <td>{o.externalId ?? `#${o.id}`}</td>
            <td>{formatDateTime(o.createdAt, lang)}</td>
            <td>{status ? t(status) : o.status}</td>
            <td>{o.items.map((i) => `${i.title ?? i.category} ×${i.quantity}`).join('，')}</td>
            <td className="num">{money(o.amount)}</td>
          </tr>
        );
      }}
    />
  );
}

export function CustomerMessages({ customerId }: { customerId: string }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const list = usePaged<CustomerMessage>(customerId, async (offset) => {
    const page = await customerMessages(customerId, offset);
    return { items: page.messages, next: page.next };
  });
  return (
    <Section
      title={t('cuMessageList')}
      testId="customer-messages"
      empty={t('cuNoMessages')}
      list={list}
      head={
        <tr>
          <th>{t('cuMessageAt')}</th>
          <th>{t('cuMessageJourney')}</th>
          <th>{t('cuStatus')}</th>
          <th>{t('cuMessageBody')}</th>
        </tr>
      }
      row={(msg) => (
        <tr key={msg.id} data-testid={`message-${msg.id}`} data-status={msg.status}>
          <td>{formatDateTime(msg.createdAt, lang)}</td>
          <td>{msg.journeyId ? <Link to={paths.journey(msg.journeyId)}>{msg.journeyName}</Link> : '—'}</td>
          <td className={msg.skipReason ? 'customer-skipped' : undefined}>
            {msg.skipReason ? t('cuSkipped', { reason: skipReasonLabel(msg.skipReason, i18n) }) : t('cuSent')}
          </td>
          <td className="customer-body">{msg.body ?? '—'}</td>
        </tr>
      )}
    />
  );
}

export function CustomerJourneys({ customerId }: { customerId: string }) {
  const { t, lang } = useI18n();
  const list = usePaged<CustomerJourney>(customerId, async (offset) => {
    const page = await customerJourneys(customerId, offset);
    return { items: page.journeys, next: page.next };
  });
  return (
    <Section
      title={t('cuJourneyList')}
      testId="customer-journeys"
      empty={t('cuNoJourneys')}
      list={list}
      head={
        <tr>
          <th>{t('cuMessageJourney')}</th>
          <th>{t('cuEntered')}</th>
          <th>{t('cuPosition')}</th>
          <th>{t('cuStatus')}</th>
        </tr>
      }
      row={(j) => (
        <tr key={j.runId}>
          <td>
            <Link to={paths.run(j.journeyId, j.runId)}>{j.journeyName}</Link>
            {j.holdout && <span className="chip customer-chip">{t('cuHoldout')}</span>}
          </td>
          <td>{formatDateTime(j.enteredAt, lang)}</td>
          <td>{j.position ?? '—'}</td>
          <td>{j.exitedAt ? t('cuExited', { reason: j.exitReason ?? '—' }) : t('cuInJourney')}</td>
        </tr>
      )}
    />
  );
}
