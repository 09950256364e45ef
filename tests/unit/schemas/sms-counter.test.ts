import { describe, expect, it } from 'vitest';
import { composeSms, countSms, gsm7Septets } from '@huitou/schemas';

const han = (n: number) => '好'.repeat(n);
const latin = (n: number) => 'a'.repeat(n);

describe('SMS counter (docs/domain.md § SMS rules)', () => {
  it('counts every character of a Chinese message, signature included', () => {
    // 【 回 头 小 店 】 感 谢 您 的 支 持 = 12 characters
    expect(countSms('【回头小店】感谢您的支持')).toMatchObject({
      encoding: 'UCS-2',
      units: 12,
      segments: 1,
      perSegment: 70,
      remaining: 58,
    });
  });

  it.each([
    [70, 1, 70, 0],
    [71, 2, 67, 63], // 67 + 4
    [134, 2, 67, 0],
    [135, 3, 67, 66],
    [500, 8, 67, 36], // 7 x 67 = 469, 31 in the eighth part
  ])('UCS-2: %i characters are %i segments of %i', (n, segments, perSegment, remaining) => {
    expect(countSms(han(n))).toMatchObject({
      encoding: 'UCS-2',
      units: n,
      segments,
      perSegment,
      remaining,
      tooLong: false,
    });
  });

  it('flags a Chinese message over 500 characters as too long', () => {
    expect(countSms(han(501)).tooLong).toBe(true);
  });

  it.each([
    [160, 1, 160],
    [161, 2, 153],
    [306, 2, 153],
    [307, 3, 153],
  ])('GSM-7: %i characters are %i segments of %i', (n, segments, perSegment) => {
    expect(countSms(latin(n))).toMatchObject({ encoding: 'GSM-7', units: n, segments, perSegment });
  });

  it('counts GSM-7 extension characters as two', () => {
    expect(countSms('Price: 5€ [VIP]')).toMatchObject({ encoding: 'GSM-7', units: 18 });
    expect(countSms(latin(159) + '€')).toMatchObject({ units: 161, segments: 2 });
    expect(countSms(latin(158) + '€')).toMatchObject({ units: 160, segments: 1 });
  });

  it('never splits an escape pair across two parts', () => {
    // 152 + 2 + 152 = 306 septets would fit 2 x 153, but the brace cannot straddle parts 1 and 2.
    expect(countSms(latin(152) + '{' + latin(152))).toMatchObject({ units: 306, segments: 3, remaining: 152 });
  });

  it('switches the whole message to UCS-2 for one non-GSM character', () => {
    expect(countSms(latin(100) + 'ç')).toMatchObject({ encoding: 'UCS-2', units: 101, segments: 2 });
    expect(countSms('Hello 你')).toMatchObject({ encoding: 'UCS-2', units: 7, segments: 1 });
    expect(gsm7Septets('Ç')).toBe(1);
    expect(gsm7Septets('ç')).toBe(0);
  });

  it('counts an emoji as two UCS-2 units', () => {
    expect(countSms('😀')).toMatchObject({ encoding: 'UCS-2', units: 2 });
  });

  it('prices segments with the unit price', () => {
    expect(countSms(han(135), 0.045).cost).toBe(0.135);
    expect(countSms('', 0.045)).toMatchObject({ segments: 0, cost: 0 });
  });

  it('adds the signature always and the opt-out suffix only to marketing messages', () => {
    const envelope = { signature: '【回头小店】', optOutSuffix: '回T退订' };
    const marketing = composeSms('双11感谢有礼', { ...envelope, smsClass: 'marketing' });
    expect(marketing).toBe('【回头小店】双11感谢有礼回T退订');
    expect(countSms(marketing).units).toBe(6 + 7 + 4);
    expect(countSms(composeSms('双11感谢有礼', { ...envelope, smsClass: 'notification' })).units).toBe(13);
  });

  it('lets the suffix tip a 70-character body into two segments', () => {
    const body = han(60); // 6 + 60 = 66 fits one SMS; + 4 for 回T退订 = 70 still fits; one more does not
    expect(
      countSms(composeSms(body, { signature: '【回头小店】', optOutSuffix: '回T退订', smsClass: 'marketing' }))
        .segments,
    ).toBe(1);
    expect(
      countSms(composeSms(body + '！', { signature: '【回头小店】', optOutSuffix: '回T退订', smsClass: 'marketing' }))
        .segments,
    ).toBe(2);
  });
});
