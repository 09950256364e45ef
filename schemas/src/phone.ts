// Placeholder until helper D's libphonenumber-js version lands (same signature): what a phone
// number cell is. Mainland mobiles only by regex; a marketplace's mask is kept as written.

export type ParsedPhone =
  | { kind: 'mobile'; e164: string }
  | { kind: 'fixed_line'; e164: string }
  | { kind: 'masked'; raw: string }
  | { kind: 'invalid' };

const MASKED = /^(?:\+86|0086)?[0-9*]{4,15}$/;

export function parsePhone(raw: string): ParsedPhone {
  const compact = raw
    .normalize('NFKC')
    .trim()
    .replace(/[\s\-().]/g, '');
  if (compact.length === 0 || compact.length > 40) return { kind: 'invalid' };
  if (compact.includes('*')) return MASKED.test(compact) ? { kind: 'masked', raw: raw.trim() } : { kind: 'invalid' };
  const mobile = /^(?:\+?86|0086)?(1[3-9]\d{9})$/.exec(compact);
  if (mobile) return { kind: 'mobile', e164: `+86${mobile[1]}` };
  const fixed = /^(?:\+?86|0086)?0?([2-9]\d{8,10})$/.exec(compact);
  if (fixed) return { kind: 'fixed_line', e164: `+86${fixed[1]}` };
  return { kind: 'invalid' };
}
