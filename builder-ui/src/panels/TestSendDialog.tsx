// Test send before launch: the journey's messages rendered for one customer, sent to colleagues'
// numbers (the settings' list, or numbers typed here); the answer lists every send.
import { useEffect, useState } from 'react';
import type { JourneyGraphInput } from '@huitou/schemas';
import { describeError } from '../errors.ts';
import { useI18n } from '../i18n.ts';
import type { CustomerMatch, TestSendResult } from '../simulate-api.ts';
import { getTestPhones, testSend } from '../simulate-api.ts';
import { CustomerPicker } from './CustomerPicker.tsx';

export function TestSendDialog(props: {
  journeyId: string;
  graph: () => JourneyGraphInput;
  customer: CustomerMatch | null;
  nodeTitle: (id: string) => string | null;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [customer, setCustomer] = useState(props.customer);
  const [numbers, setNumbers] = useState('');
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<TestSendResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  // The colleagues' numbers from the settings, editable for this send.
  useEffect(() => {
    getTestPhones().then(
      (phones) => setNumbers((n) => (n === '' ? phones.join('\n') : n)),
      () => undefined,
    );
  }, []);

  const list = numbers
    .split(/[\n,，;；]+/)
    .map((n) => n.trim())
    .filter(Boolean);

  const send = async () => {
    if (!customer) return;
    setSending(true);
    setError(null);
    setResult(null);
    try {
      setResult(
        await testSend(props.journeyId, {
          customerId: customer.id,
          graph: props.graph(),
          ...(list.length > 0 ? { numbers: list } : {}),
        }),
      );
    } catch (e) {
      setError(describeError(e, i18n));
    } finally {
      setSending(false);
    }
  };

  return (
    <div className="field test-send" role="group" aria-label={t('testSendTitle')} data-testid="test-send-dialog">
      <h3>{t('testSendTitle')}</h3>
      <div className="field-help">{t('testSendHelp')}</div>
      <CustomerPicker value={customer} onChange={setCustomer} disabled={sending} />
      <label className="field">
        <span className="field-label">{t('testSendNumbers')}</span>
        <textarea
          className="input"
          rows={3}
          value={numbers}
          placeholder={t('testSendNumbersHint')}
          disabled={sending}
          onChange={(e) => setNumbers(e.target.value)}
          data-testid="test-send-numbers"
        />
      </label>
      <div className="modal-actions">
        <button type="button" className="btn btn-ghost" onClick={props.onClose} disabled={sending}>
          {t('close')}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void send()}
          disabled={sending || !customer}
          data-testid="test-send-go"
        >
          {sending ? t('testSendSending') : t('testSendGo')}
        </button>
      </div>
      {error && (
        <div className="field-error" data-testid="test-send-error">
          {error}
        </div>
      )}
      {result && (
        <div data-testid="test-send-result" data-count={result.sent.length}>
          <p>{t('testSendDone', { n: result.sent.filter((s) => s.status === 'sent').length })}</p>
          <ul className="plain-list">
            {result.sent.map((s, i) => (
              <li key={i} data-testid="test-send-row" data-status={s.status}>
                <strong>{props.nodeTitle(s.nodeId) ?? s.nodeId}</strong> → {s.to}{' '}
                {s.status === 'sent' ? t('testSendSent') : t('testSendFailed', { error: s.error ?? '' })}
                <div className="sim-sms">{s.body}</div>
              </li>
            ))}
          </ul>
          {result.skipped.length > 0 && (
            <p className="field-help">
              {t('testSendSkipped', {
                nodes: result.skipped.map((s) => props.nodeTitle(s.nodeId) ?? s.nodeId).join('、'),
              })}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
