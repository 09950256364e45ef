import { nodeTypeOf, orderEventLabels } from '@huitou/schemas';
import type { I18n, MessageKey } from '../i18n.ts';
import type { JourneyNodeData } from './model.ts';
import { fieldsOf } from './model.ts';

/** What a node is called: its display name, else its config's name, else its type's label. */
export function nodeTitleOf(data: JourneyNodeData, l: I18n['l']): string {
  const name = data.config.name;
  return data.label ?? (typeof name === 'string' && name !== '' ? name : l(nodeTypeOf(data.type).label));
}

const unitKeys: Record<string, MessageKey> = {
  minutes: 'unitMinutes',
  hours: 'unitHours',
  days: 'unitDays',
  weeks: 'unitWeeks',
};

export function formatDuration(value: unknown, i18n: I18n): string | null {
  const d = value as { amount?: unknown; unit?: unknown } | undefined;
  if (typeof d?.amount !== 'number' || typeof d.unit !== 'string') return null;
  const key = unitKeys[d.unit];
  return `${d.amount} ${key === undefined ? d.unit : i18n.t(key)}`;
}

export const fixedPortKeys: Record<string, MessageKey> = {
  out: 'portOut',
  else: 'portElse',
  body: 'portBody',
  done: 'portDone',
  event: 'portEvent',
  timeout: 'portTimeout',
};

/**
 * A port's caption. Dynamic ports (split branches, random arms) are keyed items of a config list,
 * so their `name` (and `percent`) is found generically rather than per node type.
 */
export function portLabel(data: JourneyNodeData, port: string, i18n: I18n): string {
  for (const value of Object.values(data.config)) {
    if (!Array.isArray(value)) continue;
    const item = value.find((v: unknown) => (v as { key?: unknown } | null)?.key === port) as
      { name?: unknown; percent?: unknown } | undefined;
    if (item === undefined) continue;
    const name = typeof item.name === 'string' && item.name !== '' ? item.name : port;
    return typeof item.percent === 'number' ? `${name} · ${item.percent}%` : name;
  }
  const key = fixedPortKeys[port];
  return key === undefined ? port : i18n.t(key);
}

/** One line under the node title, from the most telling field (chosen by widget, not by node type). */
export function nodeSummary(data: JourneyNodeData, i18n: I18n): string {
  const fields = fieldsOf(data.type);
  const byWidget = (widget: string) => fields.find((f) => f.hint.widget === widget && data.config[f.key] !== undefined);
  const sms = byWidget('sms_template');
  if (sms) return String(data.config[sms.key]);
  const select = fields.find((f) => f.hint.widget === 'select' && f.key === 'event');
  if (select && typeof data.config.event === 'string') {
    const label = (orderEventLabels as Record<string, { zh: string; en: string }>)[data.config.event];
    if (label) return i18n.l(label);
  }
  const money = byWidget('money');
  if (money && typeof data.config[money.key] === 'number') {
    const threshold = data.config.threshold;
    const amount = `¥${String(data.config[money.key])}`;
    return typeof threshold === 'number' && threshold > 0 ? `${amount} / ≥¥${threshold}` : amount;
  }
  const duration = byWidget('duration');
  if (duration) {
    const text = formatDuration(data.config[duration.key], i18n);
    if (text) return text;
  }
  const named = fields.find(
    (f) =>
      ['text', 'textarea'].includes(f.hint.widget) &&
      typeof data.config[f.key] === 'string' &&
      data.config[f.key] !== '',
  );
  if (named) return String(data.config[named.key]);
  return i18n.l(nodeTypeOf(data.type).description);
}
