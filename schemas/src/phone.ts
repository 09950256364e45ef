// What a phone number cell or field is: the one definition every input uses (imports, events,
// opt-outs). libphonenumber-js carries Google's numbering plans, kept current by its releases.
// The `max` build: only its metadata tells a mainland fixed line (010-12345678) from a mistyped
// mobile (1380013800, 10 digits); `min` checks lengths only (both pass) and `mobile` has no
// fixed-line rules (both fail). Pure: no Node API, safe in the workflow sandbox.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type ParsedPhone =
  | { kind: 'mobile'; e164: string }
  | { kind: 'fixed_line'; e164: string }
  | { kind: 'masked'; raw: string }
  | { kind: 'invalid' };

/** Numbers without a country code are mainland China's. */
export const DEFAULT_PHONE_COUNTRY = 'CN';

/** Longer than this is no phone number (and not worth parsing). */
const MAX_PHONE_CHARS = 40;

/** Separators people type between digit groups. */
const SEPARATORS = /[\s\-().]/g;
/** Digits, an optional leading + and separators; nothing else (no text around a number, no list). */
const DIALLED = /^\+?[0-9]+$/;
/** A marketplace's mask (138****1234, 138****, 1**********): 4 to 15 digits or asterisks, some hidden. */
const MASKED = /^(?:\+86|0086)?[0-9*]{4,15}$/;

/**
 * A mobile (SMS reaches it) or a fixed line, as E.164; a masked number as written; anything
 * else invalid. Full-width digits, +86 / 0086, spaces and dashes are accepted. A mobile is what
 * the numbering plan calls mobile, or "fixed line or mobile" where it cannot tell (US, Canada).
 */
export function parsePhone(raw: string): ParsedPhone {
  // NFKC folds full-width digits, plus, hyphen, asterisk and the ideographic space.
  const text = raw.normalize('NFKC').trim();
  if (text.length === 0 || text.length > MAX_PHONE_CHARS) return { kind: 'invalid' };
  const compact = text.replace(SEPARATORS, '');
  if (compact.includes('*')) return MASKED.test(compact) ? { kind: 'masked', raw: text } : { kind: 'invalid' };
  if (!DIALLED.test(compact)) return { kind: 'invalid' };
  const number = parsePhoneNumberFromString(compact, DEFAULT_PHONE_COUNTRY);
  if (!number) return { kind: 'invalid' };
  // With max metadata a number is valid exactly when it has a type (what isValid() checks), so
  // one call decides both (an import parses a phone per row).
  switch (number.getType()) {
    case 'MOBILE':
    case 'FIXED_LINE_OR_MOBILE':
      return { kind: 'mobile', e164: number.number };
    case 'FIXED_LINE':
      return { kind: 'fixed_line', e164: number.number };
    default:
      // Toll-free, shared-cost (400), premium, VoIP...: no customer's own number.
      return { kind: 'invalid' };
  }
}
