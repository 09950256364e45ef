import type { NodeTypeId } from '@huitou/schemas';
import { nodeTypeOf } from '@huitou/schemas';
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

type Config = Record<string, unknown>;
type Describe = (config: Config, i18n: I18n, data: JourneyNodeData) => string | null;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The label of a select / multiselect value, from the field's own options in the registry. */
function optionLabel(data: JourneyNodeData, key: string, value: unknown, i18n: I18n): string | null {
  if (typeof value !== 'string') return null;
  const options = fieldsOf(data.type).find((f) => f.key === key)?.hint.options;
  const label = options?.[value];
  return label ? i18n.l(label) : value;
}

/** 09:00–21:00 reads 09–21 点; a window off the hour keeps its minutes. */
function hoursText(windows: unknown, i18n: I18n): string | null {
  if (!Array.isArray(windows) || windows.length === 0) return null;
  const parts = windows.map((w: unknown) => {
    const { from, to } = (w ?? {}) as { from?: unknown; to?: unknown };
    if (typeof from !== 'string' || typeof to !== 'string') return '?';
    const onHour = from.endsWith(':00') && to.endsWith(':00');
    return onHour
      ? i18n.t('sumHours', { from: from.slice(0, 2), to: to.slice(0, 2) })
      : i18n.t('sumTimes', { from, to });
  });
  return parts.join(i18n.lang === 'zh' ? '、' : ', ');
}

const listSep = (i18n: I18n) => (i18n.lang === 'zh' ? '、' : ', ');

/** Per node type: the setting a marketer looks for first, in a few words. */
const describers: Partial<Record<NodeTypeId, Describe>> = {
  'entry.audience': (c, i18n) => {
    const s = (c.schedule ?? { kind: 'once' }) as { kind?: unknown; startAt?: unknown; every?: unknown; at?: unknown };
    if (s.kind === 'recurring') {
      const key = ({ day: 'sumEveryDay', week: 'sumEveryWeek', month: 'sumEveryMonth' } as const)[
        String(s.every) as 'day'
      ];
      return key ? i18n.t(key, { at: String(s.at ?? '') }) : null;
    }
    if (typeof s.startAt === 'string') return i18n.t('sumStartsAt', { time: s.startAt.slice(0, 16).replace('T', ' ') });
    return i18n.t('sumOnceAtPublish');
  },
  'entry.event': (c, i18n, data) => {
    const event = optionLabel(data, 'event', c.event, i18n);
    const ratings = Array.isArray(c.ratings) ? c.ratings.map((r) => optionLabel(data, 'ratings', r, i18n)) : [];
    return event && [event, ratings.join(listSep(i18n))].filter(Boolean).join(' · ');
  },
  'entry.date': (c, i18n) => {
    const rule = (c.rule ?? {}) as { on?: unknown; daysBefore?: unknown; days?: unknown };
    if (rule.on === 'birthday') {
      const days = num(rule.daysBefore) ?? 0;
      return days > 0 ? i18n.t('sumBirthdayBefore', { days }) : i18n.t('sumBirthday');
    }
    const days = num(rule.days);
    return rule.on === 'days_after_last_purchase' && days !== null ? i18n.t('sumAfterPurchase', { days }) : null;
  },
  'wait.delay': (c, i18n) => {
    const d = formatDuration(c.duration, i18n);
    return d && i18n.t('sumDelay', { duration: d });
  },
  'wait.event': (c, i18n, data) => {
    const d = formatDuration(c.timeout, i18n);
    const event = optionLabel(data, 'event', c.event, i18n);
    return d && event ? i18n.t('sumWithin', { duration: d, event }) : event;
  },
  'wait.window': (c, i18n) => hoursText(c.windows, i18n),
  'split.segment': (c, i18n) => {
    const names = Array.isArray(c.branches)
      ? c.branches.map((b: unknown) => str((b as { name?: unknown } | null)?.name) ?? '?')
      : [];
    return names.length > 0 ? i18n.t('sumBranches', { names: names.join(listSep(i18n)) }) : null;
  },
  'split.random': (c) =>
    Array.isArray(c.arms) && c.arms.length > 0
      ? c.arms.map((a: unknown) => `${num((a as { percent?: unknown } | null)?.percent) ?? '?'}%`).join(' / ')
      : null,
  'loop.repeat': (c, i18n) => {
    const cycles = num(c.cycles);
    const interval = formatDuration(c.interval, i18n);
    return cycles !== null && interval ? i18n.t('sumRepeat', { cycles, interval }) : null;
  },
  'action.sms': (c) => str(c.template),
  'action.coupon': (c, i18n) => {
    const amount = num(c.amount);
    if (amount === null) return null;
    const threshold = num(c.threshold) ?? 0;
    return threshold > 0 ? i18n.t('sumCoupon', { amount, threshold }) : i18n.t('sumCouponNoMin', { amount });
  },
  'action.tag': (c, i18n) => {
    const tags = Array.isArray(c.tags) ? c.tags.filter((t): t is string => typeof t === 'string') : [];
    if (tags.length === 0) return null;
    return i18n.t(c.op === 'remove' ? 'sumUntag' : 'sumTag', { tags: tags.join(listSep(i18n)) });
  },
  'action.points': (c, i18n) => {
    const points = num(c.points);
    return points === null ? null : i18n.t('sumPoints', { points });
  },
  'action.task': (c) => str(c.title),
  'action.webhook': (c) => {
    const url = str(c.url);
    if (!url) return null;
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  },
  'eval.checkpoint': (c, i18n) => {
    const d = formatDuration(c.offset, i18n);
    return d && i18n.t('sumEvaluate', { duration: d });
  },
  exit: (c, i18n) => str(c.reason) ?? i18n.t('sumExit'),
};

/**
 * One short line under the node title: the node's key setting (30 分钟内付款成功, 09–23 点, 满199减20,
 * 50% / 50%...). A half-edited config falls back to the most telling field, then the type's description.
 */
export function nodeSummary(data: JourneyNodeData, i18n: I18n): string {
  const specific = describers[data.type]?.(data.config, i18n, data);
  if (specific) return specific;
  const fields = fieldsOf(data.type);
  const duration = fields.find((f) => f.hint.widget === 'duration' && data.config[f.key] !== undefined);
  const text = duration ? formatDuration(data.config[duration.key], i18n) : null;
  if (text) return text;
  const named = fields.find((f) => ['text', 'textarea'].includes(f.hint.widget) && str(data.config[f.key]) !== null);
  if (named) return String(data.config[named.key]);
  return i18n.l(nodeTypeOf(data.type).description);
}
