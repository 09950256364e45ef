// What a phone number cell or field is: the one definition every input uses (imports, events,
// opt-outs). libphonenumber-js carries Google's numbering plans, kept current by its releases.
// The `max` build: only its metadata tells a mainland fixed line (010-12345678) from a mistyped
// mobile (1380013800, 10 digits); `min` checks lengths only (both pass) and `mobile` has no
// fixed-line rules (both fail). Pure: no Node API, safe in the workflow sandbox.
import { Metadata, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';

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
  // Most cells of a Chinese shop's file: the national number is the cell itself.
  if (PLAIN_MAINLAND.test(compact)) return typed(kindOfNational(DEFAULT_PHONE_COUNTRY, compact), `+86${compact}`);
  const number = parsePhoneNumberFromString(compact, DEFAULT_PHONE_COUNTRY);
  if (!number) return { kind: 'invalid' };
  return typed(kindOf(number), number.number);
}

/**
 * Eleven digits starting 13–19, as a mainland mobile is written: what the library's parser makes
 * of it is known (national number = the digits, +86), so it is skipped (a third of an import's
 * parsing). The parser's one other move on such digits, stripping a carrier prefix (CN's national
 * prefix for parsing, 179xx), never applies: the 6 digits left are no mainland number. 10–12 and
 * every other shape take the full path. phone.test.ts compares this path with the library.
 */
const PLAIN_MAINLAND = /^1[3-9][0-9]{9}$/;

function typed(kind: 'mobile' | 'fixed_line' | 'other', e164: string): ParsedPhone {
  return kind === 'other' ? { kind: 'invalid' } : { kind, e164 };
}

/** The parts of a numbering plan (the library's metadata) that tell a number's type. */
interface TypeRule {
  pattern(): string;
  possibleLengths(): number[] | undefined;
}
interface Plan {
  nationalNumberPattern(): string;
  type(type: 'FIXED_LINE' | 'MOBILE'): TypeRule | undefined;
}

const plans = new Map<CountryCode, Plan>();
const whole = new Map<string, RegExp>();

function planOf(country: CountryCode): Plan {
  let plan = plans.get(country);
  if (!plan) {
    const metadata = new Metadata();
    metadata.selectNumberingPlan(country);
    plan = metadata.numberingPlan as unknown as Plan;
    plans.set(country, plan);
  }
  return plan;
}

function matches(national: string, pattern: string): boolean {
  let re = whole.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    whole.set(pattern, re);
  }
  return re.test(national);
}

function isOfType(national: string, rule: TypeRule | undefined): boolean {
  if (!rule?.pattern()) return false;
  const lengths = rule.possibleLengths();
  return (!lengths || lengths.includes(national.length)) && matches(national, rule.pattern());
}

/**
 * What getType() decides, narrowed to what we keep: a mobile (MOBILE, FIXED_LINE_OR_MOBILE), a
 * fixed line, or neither (invalid, or a toll-free, shared-cost (400), premium or VoIP number: no
 * customer's own). getType() builds a RegExp from the plan's pattern on every call, a few
 * microseconds for China's 1,000-character fixed-line pattern; an import parses a phone per row,
 * so the patterns are compiled once here. Same rules, same metadata (phone.test.ts compares).
 */
function kindOf(number: PhoneNumber): 'mobile' | 'fixed_line' | 'other' {
  if (!number.country) return toKind(number.getType()); // a non-geographic number (+800 …)
  return kindOfNational(number.country, number.nationalNumber as string);
}

function kindOfNational(country: CountryCode, national: string): 'mobile' | 'fixed_line' | 'other' {
  const plan = planOf(country);
  if (!matches(national, plan.nationalNumberPattern())) return 'other';
  const mobile = plan.type('MOBILE');
  if (isOfType(national, plan.type('FIXED_LINE'))) {
    // An empty mobile pattern means "same as fixed line" (US, Canada).
    return !mobile || mobile.pattern() === '' || isOfType(national, mobile) ? 'mobile' : 'fixed_line';
  }
  return isOfType(national, mobile) ? 'mobile' : 'other';
}

function toKind(type: ReturnType<PhoneNumber['getType']>): 'mobile' | 'fixed_line' | 'other' {
  if (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE') return 'mobile';
  return type === 'FIXED_LINE' ? 'fixed_line' : 'other';
}
