import type { MessageTally, RunMessages } from '../api.ts';
import type { MessageKey } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import { skipReasonLabel } from '../messages.ts';

const figures: readonly [keyof MessageTally, MessageKey][] = [
  ['sent', 'msgSent'],
  ['delivered', 'msgDelivered'],
  ['failed', 'msgFailed'],
  ['pending', 'msgPending'],
  ['skipped', 'msgSkipped'],
  ['segments', 'msgSegments'],
];

/** What the run's SMS did: sent, delivered, failed, still pending, and every skip by its reason. */
export function MessageStats({ messages, nodeTitle }: { messages: RunMessages; nodeTitle: (id: string) => string }) {
  const { t } = useI18n();
  const reasons = Object.entries(messages.skipReasons);
  return (
    <div className="message-stats" data-testid="message-stats">
      <div className="panel-title">{t('messagesTitle')}</div>
      <dl className="stat-grid">
        {figures.map(([key, label]) => (
          <div key={key} className="stat" data-testid={`msg-${key}`} data-value={messages.total[key]}>
            <dt>{t(label)}</dt>
            <dd>{messages.total[key]}</dd>
          </div>
        ))}
        <div className="stat" data-testid="msg-cost" data-value={messages.total.cost}>
          <dt>{t('msgCost')}</dt>
          <dd>¥{messages.total.cost.toFixed(2)}</dd>
        </div>
      </dl>
      <div className="panel-title">{t('skipReasons')}</div>
      {reasons.length === 0 ? (
        <div className="field-help">{t('noSkips')}</div>
      ) : (
        <ul className="reason-list">
          {reasons.map(([reason, n]) => (
            <li key={reason} data-testid={`skip-${reason}`} data-value={n}>
              <span>{skipReasonLabel(reason, { t })}</span>
              <b>{n}</b>
            </li>
          ))}
        </ul>
      )}
      {messages.nodes.length > 0 && (
        <>
          <div className="panel-title">{t('messagesByNode')}</div>
          <table className="mini-table">
            <thead>
              <tr>
                <th />
                <th>{t('msgSent')}</th>
                <th>{t('msgSkipped')}</th>
              </tr>
            </thead>
            <tbody>
              {messages.nodes.map((n) => (
                <tr key={n.nodeId}>
                  <td>{nodeTitle(n.nodeId)}</td>
                  <td>{n.sent}</td>
                  <td>{n.skipped}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
