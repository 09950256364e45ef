// Pieces of the simulate panel: the follow-up rates a triggered journey is simulated with, how the
// population was formed, what each awaited event did, and one customer's messages on a timeline.
import type { JourneyGraphInput, OrderEvent } from '@huitou/schemas';
import { durationMs, orderEventLabels } from '@huitou/schemas';
import type { MessageKey } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import type { FollowUpRate, FollowUpSetting, SimulatedMessage, Simulation } from '../simulate-api.ts';

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/** The events a graph waits for, each with its first wait's timeout (the window rates are about). */
export function awaitedEventsOf(graph: JourneyGraphInput): { event: OrderEvent; minutes: number }[] {
  const out = new Map<OrderEvent, number>();
  for (const n of graph.nodes) {
    if (n.type !== 'wait.event') continue;
    const { event, timeout } = n.config as { event?: OrderEvent; timeout?: { amount: number; unit: 'minutes' } };
    if (!event) continue;
    const minutes = timeout ? Math.max(1, Math.round(durationMs(timeout) / MINUTE)) : DAY_MINUTES;
    out.set(event, Math.min(out.get(event) ?? Infinity, minutes));
  }
  if (graph.settings?.goal?.kind === 'trigger_order_paid' && !out.has('order_paid')) out.set('order_paid', DAY_MINUTES);
  return [...out].map(([event, minutes]) => ({ event, minutes }));
}

function useWords() {
  const i18n = useI18n();
  const number = (n: number) => n.toLocaleString(i18n.lang === 'zh' ? 'zh-CN' : 'en-GB');
  const when = (iso: string) =>
    new Date(iso).toLocaleString(i18n.lang === 'zh' ? 'zh-CN' : 'en-GB', {
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
  const minutes = (m: number) =>
    m % DAY_MINUTES === 0
      ? i18n.t('simDays', { n: m / DAY_MINUTES })
      : m % 60 === 0
        ? i18n.t('simHours', { n: m / 60 })
        : i18n.t('simMinutes', { n: m });
  const event = (e: OrderEvent) => i18n.l(orderEventLabels[e]);
  return { ...i18n, number, when, minutes, event };
}

/** Per awaited event: learned from the shop's history (default) or a share the marketer sets. */
export function FollowUpControls(props: {
  awaited: { event: OrderEvent; minutes: number }[];
  value: FollowUpSetting[];
  onChange: (value: FollowUpSetting[]) => void;
  disabled: boolean;
}) {
  const { t, event, minutes } = useWords();
  const setOf = (e: OrderEvent) => props.value.find((f) => f.event === e);
  const put = (e: OrderEvent, percent: number | null) =>
    props.onChange([
      ...props.value.filter((f) => f.event !== e),
      ...(percent === null ? [] : [{ event: e, percent: Math.min(100, Math.max(0, percent)) }]),
    ]);
  return (
    <div className="field" data-testid="followup-controls">
      <span className="field-label">{t('simFollowUps')}</span>
      <div className="field-help">{t('simFollowUpsHelp')}</div>
      {props.awaited.map(({ event: e, minutes: m }) => {
        const set = setOf(e);
        return (
          <div className="chips" key={e} data-testid={`followup-${e}`}>
            <strong>{event(e)}</strong>
            <button
              type="button"
              className={`chip ${set ? '' : 'is-on'}`}
              disabled={props.disabled}
              onClick={() => put(e, null)}
              data-testid={`followup-learned-${e}`}
            >
              {t('simFollowUpLearned')}
            </button>
            <button
              type="button"
              className={`chip ${set ? 'is-on' : ''}`}
              disabled={props.disabled}
              onClick={() => put(e, set?.percent ?? 40)}
              data-testid={`followup-set-${e}`}
            >
              {t('simFollowUpSet')}
            </button>
            {set && (
              <span className="inline">
                <input
                  className="input input-narrow"
                  type="number"
                  min={0}
                  max={100}
                  aria-label={t('simFollowUpPercent', { event: event(e) })}
                  value={set.percent}
                  disabled={props.disabled}
                  onChange={(ev) => put(e, ev.target.value === '' ? 0 : Number(ev.target.value))}
                  data-testid={`followup-percent-${e}`}
                />
                <span>{t('simFollowUpWithin', { window: minutes(m), event: event(e) })}</span>
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** How the population was formed, beside the entry's count on the shop's own data. */
export function PopulationLine({ result }: { result: Simulation }) {
  const { t, number, when } = useWords();
  const p = result.population;
  let text: string;
  if (p.kind === 'segment')
    text =
      p.source === 'customer'
        ? t('simPopulationCustomer', { members: number(p.members) })
        : t('simPopulationSegment', {
            customers: number(p.customers),
            members: number(p.members),
            shop: number(p.shopMembers),
          });
  else
    text =
      p.source === 'customer'
        ? t('simPopulationCustomerOrder', { at: p.lastAt ? when(p.lastAt) : '' })
        : t('simPopulationOrders', {
            orders: number(p.orders),
            from: p.firstAt ? when(p.firstAt) : '',
            to: p.lastAt ? when(p.lastAt) : '',
            shop: number(p.shopOrders7d),
          });
  return (
    <p className="field-help" data-testid="sim-population" data-kind={p.kind}>
      {text}
    </p>
  );
}

/** Each awaited event: its rate, where the rate came from, and how many the simulation delivered. */
export function FollowUpsSummary({ followUps }: { followUps: FollowUpRate[] }) {
  const { t, number, minutes, event } = useWords();
  if (followUps.length === 0) return null;
  return (
    <ul className="plain-list" data-testid="sim-followups">
      {followUps.map((f) => (
        <li
          key={f.event}
          data-testid={`sim-followup-${f.event}`}
          data-percent={f.percent}
          data-delivered={f.delivered}
          data-source={f.source}
        >
          {t('simFollowUpLine', { event: event(f.event), percent: f.percent, window: minutes(f.withinMinutes) })}{' '}
          {f.source === 'set'
            ? t('simFollowUpSourceSet')
            : f.history && f.history.orders > 0
              ? t(f.history.from === 'shop' ? 'simFollowUpSourceShop' : 'simFollowUpSourceDemo', {
                  orders: number(f.history.orders),
                  happened: number(f.history.happened),
                })
              : t('simFollowUpSourceNone')}{' '}
          {t('simFollowUpDelivered', { n: number(f.delivered) })}
        </li>
      ))}
    </ul>
  );
}

/** Reasons the send path records, in plain words where the catalogue has them. */
const skipWords: Record<string, MessageKey> = {
  opted_out: 'skipOptedOut',
  frequency_cap: 'skipFrequencyCap',
  quiet_hours: 'skipQuietHours',
  suppressed: 'skipSuppressed',
  no_phone: 'skipNoPhone',
  missing_variable: 'simSkipMissingValue',
  too_long: 'simSkipTooLong',
};

/** One customer's messages: when (journey time), which card, and the text as the phone shows it. */
export function Timeline(props: {
  timeline: SimulatedMessage[];
  startedAt: string;
  nodeTitle: (id: string) => string | null;
}) {
  const { t, when, minutes } = useWords();
  if (props.timeline.length === 0)
    return (
      <p className="field-help" data-testid="sim-timeline-empty">
        {t('simTimelineEmpty')}
      </p>
    );
  const start = Date.parse(props.startedAt);
  return (
    <table className="mini-table" data-testid="sim-timeline">
      <thead>
        <tr>
          <th>{t('simTimelineWhen')}</th>
          <th>{t('simNode')}</th>
          <th>{t('simTimelineText')}</th>
        </tr>
      </thead>
      <tbody>
        {props.timeline.map((m, i) => {
          const after = Math.round((Date.parse(m.at) - start) / MINUTE);
          return (
            <tr key={i} data-testid="sim-timeline-row" data-node={m.nodeId} data-sent={m.sent}>
              <td>
                {when(m.at)}
                <div className="field-help">{t('simTimelineAfter', { after: minutes(Math.max(0, after) || 0) })}</div>
              </td>
              <td>{props.nodeTitle(m.nodeId) ?? m.nodeId}</td>
              <td>
                {m.body && <div className="sim-sms">{m.body}</div>}
                {!m.sent && (
                  <div className="field-help">
                    {t('simTimelineSkipped', {
                      reason: m.skipReason && skipWords[m.skipReason] ? t(skipWords[m.skipReason]) : t('simSkipOther'),
                    })}
                  </div>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
