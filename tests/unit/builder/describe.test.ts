// What a canvas card says under its title: the node's key setting in a few words, in both languages.
import { describe, expect, it } from 'vitest';
import { journeyTemplates } from '@huitou/schemas';
import type { Lang } from '../../../builder-ui/src/i18n.ts';
import { makeI18n } from '../../../builder-ui/src/i18n.ts';
import { nodeSummary } from '../../../builder-ui/src/journey/describe.ts';
import type { JourneyNodeData } from '../../../builder-ui/src/journey/model.ts';
import { defaultConfig, fromGraph } from '../../../builder-ui/src/journey/model.ts';

const say = (lang: Lang, type: JourneyNodeData['type'], config: Record<string, unknown>) =>
  nodeSummary(
    { type, config },
    makeI18n(lang, () => undefined),
  );

const both = (type: JourneyNodeData['type'], config: Record<string, unknown>) => ({
  zh: say('zh', type, config),
  en: say('en', type, config),
});

describe('nodeSummary: a card states its key setting', () => {
  it('a wait for payment reads as its deadline and event', () => {
    expect(both('wait.event', { event: 'order_paid', timeout: { amount: 30, unit: 'minutes' } })).toEqual({
      zh: '30 分钟内付款成功',
      en: 'Order paid within 30 minutes',
    });
  });

  it('a time window reads as hours; off-the-hour windows keep their minutes', () => {
    expect(both('wait.window', { windows: [{ from: '08:00', to: '21:00' }] })).toEqual({
      zh: '08–21 点',
      en: '08–21h',
    });
    expect(
      say('zh', 'wait.window', {
        windows: [
          { from: '09:30', to: '12:00' },
          { from: '20:00', to: '23:00' },
        ],
      }),
    ).toBe('09:30–12:00、20–23 点');
  });

  it('a delay, a coupon, a tag, a random split, a repeat and a checkpoint', () => {
    expect(both('wait.delay', { duration: { amount: 3, unit: 'days' } })).toEqual({
      zh: '等待 3 天',
      en: 'Wait 3 days',
    });
    expect(both('action.coupon', { name: '复购券', amount: 20, threshold: 199 })).toEqual({
      zh: '满199减20',
      en: '¥20 off ¥199+',
    });
    expect(say('zh', 'action.coupon', { name: 'x', amount: 5, threshold: 0 })).toBe('5 元无门槛');
    expect(both('action.tag', { op: 'add', tags: ['双11新客'] })).toEqual({
      zh: '打标签：双11新客',
      en: 'Tag: 双11新客',
    });
    expect(say('zh', 'action.tag', { op: 'remove', tags: ['a', 'b'] })).toBe('去掉标签：a、b');
    expect(
      say('en', 'split.random', {
        arms: [
          { key: 'a', percent: 50 },
          { key: 'b', percent: 50 },
        ],
      }),
    ).toBe('50% / 50%');
    expect(both('loop.repeat', { cycles: 5, interval: { amount: 30, unit: 'days' } })).toEqual({
      zh: '5 轮 · 每 30 天',
      en: '5 cycles · every 30 days',
    });
    expect(say('zh', 'eval.checkpoint', { name: 'x', anchors: ['a'], offset: { amount: 2, unit: 'days' } })).toBe(
      '2 天后评估',
    );
  });

  it('an event entry on reviews names the ratings it takes (差评)', () => {
    expect(both('entry.event', { event: 'review_posted', ratings: ['negative'] })).toEqual({
      zh: '买家评价 · 差评',
      en: 'Review posted · Negative',
    });
  });

  it('an SMS card shows the whole text (the card clamps it to whole lines, with the text as tooltip)', () => {
    const template = '亲，您的订单{order.id}还未付款，商品已为您预留，付款后尽快发货哦~';
    expect(say('zh', 'action.sms', { template })).toBe(template);
  });

  it('segment branches and exits', () => {
    expect(say('zh', 'split.segment', { branches: [{ key: 'large', name: '大额订单', when: {} }] })).toBe(
      '大额订单 · 其他',
    );
    expect(both('exit', {})).toEqual({ zh: '旅程结束', en: 'Journey ends' });
    expect(say('zh', 'exit', { reason: '已付款' })).toBe('已付款');
  });

  it('every node of every template, and every new node, says something in both languages (never a raw code)', () => {
    const nodes = Object.values(journeyTemplates).flatMap((g) => fromGraph(g).nodes.map((n) => n.data));
    for (const lang of ['zh', 'en'] as const) {
      for (const data of nodes) {
        const text = nodeSummary(
          data,
          makeI18n(lang, () => undefined),
        );
        expect(text, `${data.type} in ${lang}`).not.toBe('');
        // SMS texts keep their {nickname} fields; anything else with a brace is a catalogue slip.
        if (data.type !== 'action.sms') expect(text, `${data.type} in ${lang}`).not.toMatch(/undefined|NaN|[{}?]/);
      }
      for (const type of ['wait.delay', 'wait.window', 'split.random', 'action.coupon'] as const) {
        expect(
          nodeSummary(
            { type, config: defaultConfig(type, lang) },
            makeI18n(lang, () => undefined),
          ),
        ).not.toBe('');
      }
    }
  });
});
