import { describe, expect, it } from 'vitest';
import type { Condition } from '@huitou/schemas';
import { makeI18n } from '../../../builder-ui/src/i18n.ts';
import { conditionSentence } from '../../../builder-ui/src/inspector/condition-sentence.ts';
import { hoursOf, windowsOf } from '../../../builder-ui/src/inspector/time-window-hours.ts';

const zh = makeI18n('zh', () => undefined);
const en = makeI18n('en', () => undefined);
const names: Record<string, string> = { apparel: '服饰' };
const category = (key: string) => names[key] ?? key;

describe('condition rows read as sentences', () => {
  const cases: Array<[Condition, string, string]> = [
    [
      { kind: 'purchase', metric: 'count', window: { kind: 'last_days', days: 30 }, compare: { op: 'eq', value: 0 } },
      '近 30 天 购买次数 = 0',
      'Last 30 days Number of purchases = 0',
    ],
    [
      { kind: 'trigger_order', field: 'amount', compare: { op: 'gte', value: 200 } },
      '订单金额 ≥ 200',
      'Order amount ≥ 200',
    ],
    [
      { kind: 'trigger_order_category', categories: ['apparel', 'gone'] },
      '订单含品类：服饰、gone',
      'Order includes: 服饰, gone',
    ],
    [
      { kind: 'number', field: 'order_count', compare: { op: 'between', min: 1, max: 3 } },
      '购买次数 介于 1 和 3 之间',
      'Number of orders between 1 and 3',
    ],
    [
      { kind: 'not', of: { kind: 'tags', op: 'has_any', tags: ['VIP', '老客'] } },
      '不满足：标签 含任一 VIP、老客',
      'Not: Tags has any of VIP, 老客',
    ],
    [
      {
        kind: 'rfm',
        groups: ['important_value'],
        scoring: { method: 'quantile', recency: 0.5, frequency: 0.5, monetary: 0.5 },
        window: { kind: 'all_time' },
        monetary: 'aov',
      },
      'RFM 分组：重要价值客户（M 按客单价）',
      'RFM group：Important value（M by average order value）',
    ],
    [
      {
        kind: 'rfm',
        groups: ['general_winback', 'important_winback'],
        scoring: { method: 'quantile', recency: 0.5, frequency: 0.5, monetary: 0.5 },
        window: { kind: 'all_time' },
      },
      'RFM 分组：一般挽留客户、重要挽留客户',
      'RFM group：General win-back, Important win-back',
    ],
  ];
  it.each(cases)('%j', (condition, zhText, enText) => {
    expect(conditionSentence(condition, zh, category)).toBe(zhText);
    expect(conditionSentence(condition, en, category)).toBe(enText);
  });
  it('names a saved segment by its name, its id while the list is unknown, and asks for one not picked yet', () => {
    const id = '7d1f6c0e-2f57-4a53-9d0c-2b1a3c4d5e6f';
    const segmentName = (x: string) => (x === id ? '浙江买家' : x);
    const picked: Condition = { kind: 'not', of: { kind: 'saved_segment', segmentId: id } };
    expect(conditionSentence(picked, zh, category, segmentName)).toBe('不满足：属于人群“浙江买家”');
    expect(conditionSentence(picked, en, category, segmentName)).toBe('Not: In segment "浙江买家"');
    expect(conditionSentence({ kind: 'saved_segment', segmentId: id }, zh, category)).toBe(`属于人群“${id}”`);
    expect(conditionSentence({ kind: 'saved_segment', segmentId: '' }, zh, category)).toBe('请选择一个人群');
  });
});

describe('the 24-hour strip', () => {
  it('reads windows as hours, a window past midnight included', () => {
    const hours = hoursOf([{ from: '22:00', to: '02:00' }]);
    expect(hours.flatMap((on, h) => (on ? [h] : []))).toEqual([0, 1, 22, 23]);
  });

  it('turns chosen hours back into the fewest windows, joining the run through midnight', () => {
    const on = new Set([0, 1, 9, 10, 11, 22, 23]);
    const windows = windowsOf(Array.from({ length: 24 }, (_, h) => on.has(h)));
    expect(windows).toEqual([
      { from: '09:00', to: '12:00' },
      { from: '22:00', to: '02:00' },
    ]);
    expect(hoursOf(windows).flatMap((x, h) => (x ? [h] : []))).toEqual([...on].sort((a, b) => a - b));
  });

  it('keeps every hour as one whole-day window', () => {
    expect(windowsOf(Array.from({ length: 24 }, () => true))).toEqual([{ from: '00:00', to: '23:59' }]);
  });
});
