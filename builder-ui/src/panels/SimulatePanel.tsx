import { useEffect, useState } from 'react';
import type { JourneyGraphInput } from '@huitou/schemas';
import { describeError } from '../errors.ts';
import type { I18n } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import { graphPortName, skipReasonLabel } from '../messages.ts';
import type { CustomerMatch, FollowUpSetting, Simulation, SimulationAudience, SimulatedNode } from '../simulate-api.ts';
import { findCustomers, simulate } from '../simulate-api.ts';
import { CustomerPicker } from './CustomerPicker.tsx';
import { FollowUpControls, FollowUpsSummary, PopulationLine, Timeline, awaitedEventsOf } from './SimulateParts.tsx';
import { TestSendDialog } from './TestSendDialog.tsx';

const reasons = (skipped: Readonly<Record<string, number>> | undefined, i18n: I18n) =>
  Object.entries(skipped ?? {})
    .map(([reason, n]) => `${skipReasonLabel(reason, i18n)} ${n}`)
    .join(', ');

/**
 * Runs the graph on the canvas in the engine's sandbox (demo shop or one test customer) and lists
 * per node who would pass, the SMS sent and skipped with cost, coupons and the expected responses.
 */
export function SimulatePanel(props: {
  journeyId: string;
  graph: () => JourneyGraphInput;
  nodeTitle: (id: string) => string | null;
  onSelectNode: (id: string) => void;
  /** The figures of the last simulation, for the canvas cards. */
  onResult?: (result: Simulation) => void;
  /** Opens in the one-customer mode on this customer (the customer page's "simulate" link). */
  initialCustomerId?: number;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const [who, setWho] = useState<'demo_shop' | 'customer'>(props.initialCustomerId ? 'customer' : 'demo_shop');
  const [customer, setCustomer] = useState<CustomerMatch | null>(null);
  const [followUps, setFollowUps] = useState<FollowUpSetting[]>([]);
  const [testing, setTesting] = useState(false);
  const awaited = awaitedEventsOf(props.graph());
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [seconds, setSeconds] = useState(0);
  const [result, setResult] = useState<Simulation | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The customer named by id, found through the one lookup (an exact id comes first).
  useEffect(() => {
    const id = props.initialCustomerId;
    if (!id) return;
    let live = true;
    findCustomers(String(id)).then(
      (found) => live && setCustomer(found.find((c) => c.id === id) ?? null),
      (e: unknown) => live && setError(describeError(e, i18n)),
    );
    return () => {
      live = false;
    };
  }, [props.initialCustomerId, i18n]);

  // The engine gives no progress for one request: show that it is alive, and for how long.
  useEffect(() => {
    if (startedAt === null) return;
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - startedAt) / 1000)), 500);
    return () => clearInterval(timer);
  }, [startedAt]);

  const run = async () => {
    const audience: SimulationAudience = who === 'demo_shop' || !customer ? 'demo_shop' : { customerId: customer.id };
    setError(null);
    setResult(null);
    setSeconds(0);
    setStartedAt(Date.now());
    try {
      const sim = await simulate(props.journeyId, props.graph(), audience, followUps);
      setResult(sim);
      props.onResult?.(sim);
    } catch (e) {
      setError(describeError(e, i18n));
    } finally {
      setStartedAt(null);
    }
  };

  const number = (n: number) => n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB');
  const money = (n: number) => `¥${n.toFixed(2)}`;
  const running = startedAt !== null;
  const customerOk = who === 'demo_shop' || customer !== null;

  return (
    <div className="modal-backdrop" onClick={running ? undefined : props.onClose}>
      <div
        className="modal"
        role="dialog"
        aria-label={t('simulateTitle')}
        onClick={(e) => e.stopPropagation()}
        data-testid="simulate-panel"
      >
        <div className="modal-head">
          <h2>{t('simulateTitle')}</h2>
          <button
            type="button"
            className="btn btn-ghost"
            onClick={props.onClose}
            disabled={running}
            data-testid="simulate-close"
          >
            {t('close')}
          </button>
        </div>
        <div className="field-help">{t('simulateHelp')}</div>
        <div className="field">
          <span className="field-label">{t('simulateAudience')}</span>
          <div className="chips">
            <button
              type="button"
              className={`chip ${who === 'demo_shop' ? 'is-on' : ''}`}
              onClick={() => setWho('demo_shop')}
              disabled={running}
              data-testid="simulate-demo-shop"
            >
              {t('simulateDemoShop')}
            </button>
            <button
              type="button"
              className={`chip ${who === 'customer' ? 'is-on' : ''}`}
              onClick={() => setWho('customer')}
              disabled={running}
              data-testid="simulate-one-customer"
            >
              {t('simulateCustomer')}
            </button>
          </div>
        </div>
        {who === 'customer' && <CustomerPicker value={customer} onChange={setCustomer} disabled={running} />}
        {awaited.length > 0 && (
          <FollowUpControls awaited={awaited} value={followUps} onChange={setFollowUps} disabled={running} />
        )}
        <div className="modal-actions">
          <button
            type="button"
            className="btn"
            onClick={() => setTesting(true)}
            disabled={running}
            data-testid="test-send-open"
          >
            {t('testSendOpen')}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void run()}
            disabled={running || !customerOk}
            data-testid="simulate-run"
          >
            {t('simulateRun')}
          </button>
        </div>
        {running && (
          <div className="field" data-testid="simulate-progress">
            <progress style={{ width: '100%' }} />
            <div className="field-help">{t('simulateRunning', { seconds })}</div>
          </div>
        )}
        {error && (
          <div className="field-error" data-testid="simulate-error">
            {error}
          </div>
        )}
        {result && (
          <div data-testid="simulate-result">
            <p>
              {t('simulateSummary', {
                members: number(result.members),
                holdout: number(result.holdout),
                days: result.simulatedDays,
              })}
            </p>
            <PopulationLine result={result} />
            <FollowUpsSummary followUps={result.followUps} />
            {result.timeline && (
              <Timeline timeline={result.timeline} startedAt={result.startedAt} nodeTitle={props.nodeTitle} />
            )}
            <dl className="stat-grid">
              <div className="stat">
                <dt>{t('simSmsSent')}</dt>
                <dd data-testid="sim-total-sms">{number(result.totals.smsSent)}</dd>
              </div>
              <div className="stat">
                <dt>{t('simCost')}</dt>
                <dd>
                  {money(result.totals.smsCost)} · {t('simSegments')} {number(result.totals.smsSegments)}
                </dd>
              </div>
              <div className="stat">
                <dt>{t('simCoupons')}</dt>
                <dd>
                  {number(result.totals.couponsIssued)} · {money(result.totals.couponValue)}
                </dd>
              </div>
              <div className="stat" title={t('simExpectedHelp')}>
                <dt>{t('simExpected')}</dt>
                <dd>
                  {number(result.totals.expected.responses)} ({(result.totals.expected.natural.rate * 100).toFixed(1)}%)
                </dd>
              </div>
            </dl>
            <table className="mini-table" data-testid="simulate-nodes">
              <thead>
                <tr>
                  <th>{t('simNode')}</th>
                  <th>{t('simEntered')}</th>
                  <th>{t('simPorts')}</th>
                  <th>{t('simSmsSent')}</th>
                  <th>{t('simSkipped')}</th>
                  <th>{t('simCost')}</th>
                  <th>{t('simCoupons')}</th>
                  <th title={t('simExpectedHelp')}>{t('simExpected')}</th>
                </tr>
              </thead>
              <tbody>
                {result.nodes.map((n: SimulatedNode) => (
                  <tr
                    key={n.id}
                    data-testid={`sim-node-${n.id}`}
                    data-entered={n.entered}
                    data-sms-sent={n.sms?.sent ?? ''}
                  >
                    <td>
                      <button
                        type="button"
                        className="btn btn-ghost btn-small"
                        onClick={() => props.onSelectNode(n.id)}
                      >
                        {props.nodeTitle(n.id) ?? n.label ?? n.id}
                      </button>
                    </td>
                    <td>{number(n.entered)}</td>
                    <td>
                      {Object.entries(n.ports)
                        .map(([port, count]) => `${graphPortName(props.graph(), n.id, port, i18n)} ${number(count)}`)
                        .join(', ')}
                    </td>
                    <td>{n.sms ? number(n.sms.sent) : ''}</td>
                    <td>{reasons(n.sms?.skipped ?? n.coupons?.skipped ?? n.actions?.skipped, i18n)}</td>
                    <td>{n.sms ? `${money(n.sms.cost)} (${number(n.sms.segments)})` : ''}</td>
                    <td>{n.coupons ? number(n.coupons.done) : ''}</td>
                    <td>{n.expected ? number(n.expected.responses) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {testing && (
          <TestSendDialog
            journeyId={props.journeyId}
            graph={props.graph}
            customer={customer}
            nodeTitle={props.nodeTitle}
            onClose={() => setTesting(false)}
          />
        )}
      </div>
    </div>
  );
}
