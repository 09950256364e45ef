import { orderEventLabels } from '@huitou/schemas';
import type { OrderEvent } from '@huitou/schemas';
import type { WaitingGroup } from '../api.ts';
import type { I18n, MessageKey } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import { nodeTitleOf } from '../journey/describe.ts';
import type { JourneyDoc } from '../journey/model.ts';
import { formatCount } from '../report/format.ts';
import { formatWhen } from './when.ts';

const sentences: Record<WaitingGroup['reason'], MessageKey> = {
  quiet_hours: 'waitQuietHours',
  wait: 'waitTimer',
  wait_for_event: 'waitEvent',
  paused: 'waitPaused',
  due: 'waitDue',
};

/** A node's title as its card shows it (never its id). */
export function nodeTitleIn(doc: JourneyDoc | null, id: string, i18n: Pick<I18n, 'l'>): string {
  const node = doc?.nodes.find((n) => n.id === id);
  return node ? nodeTitleOf(node.data, i18n.l) : '';
}

/** One group in words: "223 人在免打扰时段等待，明早 08:00 发送". */
export function waitingSentence(group: WaitingGroup, doc: JourneyDoc | null, i18n: I18n): string {
  const node = doc?.nodes.find((n) => n.id === group.nodeId);
  const event = node?.data.type === 'wait.event' ? (node.data.config.event as OrderEvent | undefined) : undefined;
  return i18n.t(sentences[group.reason], {
    count: formatCount(group.members, i18n.lang),
    when: group.until ? formatWhen(group.until, i18n, doc?.settings.timeZone) : '',
    event: event && orderEventLabels[event] ? i18n.l(orderEventLabels[event]) : '',
  });
}

/** Why members are where they are, per node, and until when (the run's `waiting`, live). */
export function WaitingReasons({ waiting, doc }: { waiting: readonly WaitingGroup[]; doc: JourneyDoc | null }) {
  const i18n = useI18n();
  const nodeTitle = (id: string) => nodeTitleIn(doc, id, i18n);
  return (
    <section className="waiting-reasons" data-testid="waiting-reasons">
      <h3>{i18n.t('waitingTitle')}</h3>
      {waiting.length === 0 && <p className="empty-hint">{i18n.t('waitingNone')}</p>}
      <ul>
        {waiting.map((g) => (
          <li key={`${g.nodeId}|${g.reason}|${g.until}`} data-testid="waiting-reason" data-reason={g.reason}>
            <span className="waiting-node">{nodeTitle(g.nodeId)}</span>
            <b className="waiting-text">{waitingSentence(g, doc, i18n)}</b>
          </li>
        ))}
      </ul>
    </section>
  );
}
