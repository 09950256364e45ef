import { describe, expect, it } from 'vitest';
import { parseTemplate, previewSms, renderTemplate, templateVariableNames } from '@huitou/schemas';

describe('SMS templates', () => {
  it('parses text and variables', () => {
    const parsed = parseTemplate('{nickname}，送您{coupon.amount}元券');
    expect(parsed).toEqual({
      ok: true,
      parts: [
        { kind: 'var', name: 'nickname', offset: 0 },
        { kind: 'text', text: '，送您' },
        { kind: 'var', name: 'coupon.amount', offset: 13 },
        { kind: 'text', text: '元券' },
      ],
    });
  });

  it('reads doubled braces as literal braces', () => {
    const parsed = parseTemplate('{{VIP}} {nickname}');
    expect(parsed.ok && renderTemplate(parsed.parts, { nickname: 'Ann' }).text).toBe('{VIP} Ann');
  });

  it.each([
    ['您好{nickname', 2, 'unclosed_brace'],
    ['您好}', 2, 'unopened_brace'],
    ['{Nick Name}', 0, 'bad_variable_name'],
    ['{}', 0, 'bad_variable_name'],
  ])('rejects %j at offset %i (%s)', (source, offset, reason) => {
    expect(parseTemplate(source)).toEqual({ ok: false, offset, reason });
  });

  it('renders values and reports the missing ones', () => {
    const parsed = parseTemplate('{nickname}的{item}到了，单号{order.tracking}');
    if (!parsed.ok) throw new Error('parse failed');
    expect(templateVariableNames(parsed.parts)).toEqual(['nickname', 'item', 'order.tracking']);
    expect(renderTemplate(parsed.parts, { nickname: '小美', item: '奶粉' })).toEqual({
      text: '小美的奶粉到了，单号',
      missing: ['order.tracking'],
    });
  });

  it('previews with sample values, counted and priced', () => {
    const preview = previewSms(
      '{nickname}您好',
      { signature: '【回头小店】', optOutSuffix: '回T退订', smsClass: 'marketing' },
      0.05,
    );
    // 【回头小店】(6) + 小美(2) + 您好(2) + 回T退订(4) = 14
    expect(preview).toMatchObject({
      ok: true,
      text: '【回头小店】小美您好回T退订',
      count: { units: 14, segments: 1, cost: 0.05 },
    });
  });
});
