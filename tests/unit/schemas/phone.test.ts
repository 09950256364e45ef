import { describe, expect, it } from 'vitest';
import { normalizePhone, Phone } from '@huitou/schemas/http';
import type { ParsedPhone } from '@huitou/schemas/phone';
import { parsePhone } from '@huitou/schemas/phone';

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
