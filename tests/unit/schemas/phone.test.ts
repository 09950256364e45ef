import { describe, expect, it } from 'vitest';
import { normalizePhone, Phone } from '@huitou/schemas/http';
import type { ParsedPhone } from '@huitou/schemas/phone';
import { parsePhone } from '@huitou/schemas/phone';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const mobile = (e164: string): ParsedPhone => ({ kind: 'mobile', e164 });
const fixed = (e164: string): ParsedPhone => ({ kind: 'fixed_line', e164 });
const masked = (raw: string): ParsedPhone => ({ kind: 'masked', raw });
const invalid: ParsedPhone = { kind: 'invalid' };

const table: [string, ParsedPhone][] = [
  // Mainland mobiles, however written.
  ['13800138000', mobile('+8613800138000')],
  [' 13800138000 ', mobile('+8613800138000')],
  ['+8613800138000', mobile('+8613800138000')],
  ['+86 138 0013 8000', mobile('+8613800138000')],
  ['+86-138-0013-8000', mobile('+8613800138000')],
  ['008613800138000', mobile('+8613800138000')],
  ['138-0013-8000', mobile('+8613800138000')],
  ['１３８００１３８０００', mobile('+8613800138000')],
  ['＋８６　１３８－００１３－８０００', mobile('+8613800138000')],
  ['19000000002', mobile('+8619000000002')],
  ['16612345678', mobile('+8616612345678')],
  // Other countries' mobiles, written with their code.
  ['+447911123456', mobile('+447911123456')],
  ['+85291234567', mobile('+85291234567')],
  ['+14155552671', mobile('+14155552671')],
  // Fixed lines: valid, but no SMS reaches them.
  ['010-12345678', fixed('+861012345678')],
  ['(010) 1234 5678', fixed('+861012345678')],
  ['0571-87654321', fixed('+8657187654321')],
  ['021 6888 8888', fixed('+862168888888')],
  ['+86 10 1234 5678', fixed('+861012345678')],
  // Marketplace masks: kept as written (full-width folded), never guessed.
  ['138****1234', masked('138****1234')],
  ['138****', masked('138****')],
  ['1**********', masked('1**********')],
  ['+86 138****1234', masked('+86 138****1234')],
  ['１３８＊＊＊＊１２３４', masked('138****1234')],
  // Everything else.
  ['1380013800', invalid], // the 10-digit typo
  ['+861380013800', invalid],
  ['12345678', invalid], // a local number without its area code
  ['400-820-8820', invalid], // a service number, no customer's own
  ['13800138000;13800138001', invalid],
  ['Tel 13800138000', invalid],
  ['138****1234a', invalid],
  ['***', invalid],
  ['139-5555-66667777777777', invalid],
  ["1'; DROP TABLE opt_outs; --", invalid],
  ['', invalid],
  ['   ', invalid],
  ['1'.repeat(41), invalid],
];

describe('parsePhone', () => {
  it.each(table)('%j', (raw, expected) => {
    expect(parsePhone(raw)).toEqual(expected);
  });
});

describe('Phone (API inputs): a mobile, stored as E.164', () => {
  it('accepts mobiles and normalises them', () => {
    expect(Phone.safeParse('１３９１２３４５６７８').success).toBe(true);
    expect(normalizePhone('１３９１２３４５６７８')).toBe('+8613912345678');
    expect(normalizePhone('+86 139 1234 5678')).toBe('+8613912345678');
  });

  it.each(['1380013800', '010-12345678', '138****1234', 'abc'])('refuses %j without repeating it', (raw) => {
    const result = Phone.safeParse(raw);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).not.toContain(raw);
    expect(() => normalizePhone(raw)).toThrow();
  });
});

describe('parsePhone decides as libphonenumber-js getType() does', () => {
  // parsePhone compiles the numbering plan's patterns once (phone.ts kindOf); this keeps it
  // equal to the library's own decision across mobiles, fixed lines, service numbers and typos.
  const kindOfType = (type: string | undefined) =>
    type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' ? 'mobile' : type === 'FIXED_LINE' ? 'fixed_line' : 'invalid';
  const samples: string[] = [];
  // Every mainland prefix 100–199 (mobile ranges, unassigned ones, Beijing 010) at lengths 10–12,
  // area codes 02x/05xx/07xx, 400/800 service numbers, and other countries.
  for (let prefix = 100; prefix < 200; prefix++)
    for (const rest of ['1234567', '12345678', '123456789']) samples.push(`${prefix}${rest}`);
  for (const area of ['010', '021', '0571', '0755', '0898', '0311'])
    for (const local of ['1234567', '87654321', '123456']) samples.push(`${area}${local}`);
  samples.push('4008208820', '8008208820', '95588', '+14155552671', '+12125550123', '+447911123456', '+442071838750');
  samples.push('+85291234567', '+85221234567', '+85366123456', '+886912345678', '+81312345678', '+80012345678');
  it('on a spread of numbers', () => {
    for (const raw of samples) {
      const number = parsePhoneNumberFromString(raw, 'CN');
      const expected = number ? kindOfType(number.getType()) : 'invalid';
      expect([raw, parsePhone(raw).kind]).toEqual([raw, expected]);
    }
  });

  it('on 11-digit mainland numbers of every prefix 100–199 (most skip the parser: phone.ts PLAIN_MAINLAND)', () => {
    // Compared in full (kind and E.164): a carrier prefix the parser strips (179xx) would split the digits otherwise.
    const suffixes = ['00000000', '12345678', '51234567', '79000000', '99999999', '00100100'];
    let seed = 15;
    const digit = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * 10);
    };
    const raws = [
      ...Array.from({ length: 100 }, (_, i) => suffixes.map((s) => `${100 + i}${s}`)).flat(),
      ...['179', '1795', '1791', '170', '177'].flatMap((head) =>
        Array.from({ length: 500 }, () => head + Array.from({ length: 11 - head.length }, digit).join('')),
      ),
    ];
    for (const raw of raws) {
      const number = parsePhoneNumberFromString(raw, 'CN');
      const kind = number ? kindOfType(number.getType()) : 'invalid';
      const expected = kind === 'invalid' ? { kind } : { kind, e164: number?.number };
      expect([raw, parsePhone(raw)]).toEqual([raw, expected]);
    }
  });
});
