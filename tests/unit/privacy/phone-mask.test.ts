// The one phone mask (activities/src/segments/phone-mask.ts): at most the country code and the last
// four digits survive, whatever the digits and separators look like, and nothing around a number
// is eaten.
import { describe, expect, it } from 'vitest';
import { maskPhone, maskPhones } from '@huitou/activities/segments';

describe('maskPhone', () => {
  it('keeps only the country code and the last four digits', () => {
    expect(maskPhone('+8613812345678')).toBe('+86****5678');
    expect(maskPhone('13812345678')).toBe('****5678');
    expect(maskPhone('+14155550123')).toBe('+1****0123');
    expect(maskPhone('+85291234567')).toBe('+852****4567');
    expect(maskPhone('+86 138 1234 5678')).toBe('+86****5678');
    expect(maskPhone('12345')).toBe('****');
    expect(maskPhone(null)).toBeNull();
  });

  it('reads full-width digits, plus and separators', () => {
    expect(maskPhone('＋８６１３８１２３４５６７８')).toBe('+86****5678');
    expect(maskPhone('１３８－１２３４－５６７８')).toBe('****5678');
  });
});

describe('maskPhones in text', () => {
  const cases: [string, string][] = [
    ['opt-out for +8613812345678 and 13912345678', 'opt-out for +86****5678 and ****5678'],
    ['call 138-1234-5678 or 138 1234 5678 now', 'call ****5678 or ****5678 now'],
    ['+86 138 1234 5678', '+86****5678'],
    ['电话：１３８１２３４５６７８。', '电话：****5678。'],
    ['手机13812345678联系', '手机****5678联系'],
    ['电话 １３８　１２３４　５６７８', '电话 ****5678'],
    ['{"phone":"+8613812345678"}', '{"phone":"+86****5678"}'],
    ['/api/runs?journeyId=13812345678&x=1', '/api/runs?journeyId=****5678&x=1'],
  ];
  it.each(cases)('%s', (text, masked) => {
    expect(maskPhones(text)).toBe(masked);
  });

  it('leaves what follows a number alone (status and latency after a URL)', () => {
    expect(maskPhones('GET /api/runs?journeyId=13812345678 200 3.4ms')).toBe(
      'GET /api/runs?journeyId=****5678 200 3.4ms',
    );
    expect(maskPhones('GET /x/13812345678 404 12.5ms')).toBe('GET /x/****5678 404 12.5ms');
  });

  it('does not take dates, times, ids or short numbers for phones', () => {
    const text =
      'at 2026-12-05T07:38:30.123Z, 404 in 12.5 ms, 3 of 120, v1.2.3, run 550e8400-e29b-41d4-a716-446655440000, abc1234567def';
    expect(maskPhones(text)).toBe(text);
  });

  it('leaves no run of five or more digits of any phone', () => {
    for (const phone of ['+8613812345678', '13812345678', '+86 138-1234-5678', '８６１３８１２３４５６７８']) {
      const masked = maskPhones(`x ${phone} y`);
      expect(masked.replace(/[\uFF10-\uFF19]/g, '0')).not.toMatch(/\d{5}/);
    }
  });
});
