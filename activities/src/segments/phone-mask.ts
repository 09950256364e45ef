// Phone numbers are personal data: the one place that masks them, for log lines and for the
// segment preview's sample (docs/domain.md § SMS rules). A masked number keeps at most the country
// code and the last four digits; nothing else of it can be read back.

// Digits as typed on a phone or a Chinese keyboard: ASCII and full-width (０-９).
const D = '[0-9\\uFF10-\\uFF19]';
// Between digit groups: a space, a dash, a dot, or their full-width / ideographic forms.
const SEP = '[ \\-.\\u3000\\uFF0D\\uFF0E]';
const PLUS = '[+\\uFF0B]';
// What may not touch a number on either side: digits, ASCII letters and _.
const WORD = '[0-9A-Za-z_\\uFF10-\\uFF19]';

/**
 * A phone number inside free text: an optional +country code, then either one unbroken run of 7-15
 * digits or 3-5 groups of 2-4 digits ending in a group of 4 (138-1234-5678, 0755 1234 5678). Groups
 * are bounded so a number never swallows what follows it ("… 13812345678 200 3.4ms" keeps the
 * status), and a date (2026-12-05: 8 digits) is not a phone. Digits glued to ASCII letters or ids
 * (a UUID's last group, abc1234567) are not a phone either: ids stay readable in logs. (CJK text
 * right before a number, 手机13812345678, still counts.)
 */
const PHONE = new RegExp(
  `(?<!${WORD}|[0-9A-Za-z]-)(?:${PLUS}${D}{1,3}${SEP}?)?(?:${D}{7,15}|${D}{2,4}(?:${SEP}${D}{2,4}){1,3}${SEP}${D}{4})(?!${WORD})`,
  'gu',
);

// ITU country codes are prefix-free: 1 and 7 are one digit, these are two, all others three.
const TWO_DIGIT_CODES = new Set(
  '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(
    ' ',
  ),
);

const asciiDigits = (text: string) =>
  text.replace(/[\uFF10-\uFF19]/gu, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48)).replace(/\D/g, '');

function countryCode(match: string): string {
  const explicit = new RegExp(`^${PLUS}(${D}{1,3})${SEP}`, 'u').exec(match);
  if (explicit) return asciiDigits(explicit[1]);
  const digits = asciiDigits(match);
  if (digits.startsWith('1') || digits.startsWith('7')) return digits.slice(0, 1);
  return TWO_DIGIT_CODES.has(digits.slice(0, 2)) ? digits.slice(0, 2) : digits.slice(0, 3);
}

/** One number, e.g. +8613812345678 → +86****5678, 13812345678 → ****5678, short ones → ****. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  const international = new RegExp(`^\\s*${PLUS}`, 'u').test(phone);
  const code = international ? countryCode(phone.trim()) : '';
  const digits = asciiDigits(phone).slice(code.length);
  const tail = digits.length >= 7 ? digits.slice(-4) : '';
  return `${international ? `+${code}` : ''}****${tail}`;
}

/** An e-mail address: its first character and its domain, e.g. buyer7@example.com → b***@example.com. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  return at <= 0 ? '***' : `${address.slice(0, 1)}***${address.slice(at)}`;
}

/** Every phone number in a text masked; the text around them untouched. */
export function maskPhones(text: string): string {
  return text.replace(PHONE, (m) => maskPhone(m) ?? m);
}
