// Cell types of the CSV imports. A cell arrives as text; blank means "no value" (null), so every
// schema here sees a trimmed, non-empty string. Messages never repeat the cell (it may be a phone).
import { z } from 'zod';
import { parsePhone } from '@huitou/schemas/phone';

export const text = (max: number) => z.string().max(max, `at most ${max} characters`);

export const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'not a calendar date',
  );

/** A time without an offset, as marketplace exports write it: Beijing time. */
const BEIJING_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;

/** An ISO 8601 time with an offset, or `YYYY-MM-DD HH:MM:SS` in Beijing time; an ISO string out. */
export const timestamp = z
  .string()
  .transform((s) => s.replace(BEIJING_TIME, '$1T$2+08:00'))
  .pipe(
    z.iso.datetime({
      offset: true,
      error:
        'expected an ISO 8601 time with an offset, e.g. 2026-11-11T09:30:00+08:00, or 2026-11-11 09:30:00 (Beijing time)',
    }),
  );

/** Yuan with at most two decimals, as numeric(12, 2) holds it. */
export const money = z.string().regex(/^\d{1,10}(\.\d{1,2})?$/, 'expected an amount in yuan, e.g. 299 or 299.50');

/**
 * A phone number as parsePhone reads it: a mobile, a fixed line (E.164) or a marketplace's masked
 * number; anything else is the row's error.
 */
export const phone = z.string().transform((cell, ctx) => {
  const parsed = parsePhone(cell);
  if (parsed.kind !== 'invalid') return parsed;
  ctx.addIssue({ code: 'custom', message: 'expected a mobile number or a fixed line with its area code' });
  return z.NEVER;
});

export const email = z.email({ error: 'expected an email address' });

/** A `;`-separated list (tags); empty entries are dropped. */
export const list = z
  .string()
  .transform((s) =>
    s
      .split(';')
      .map((t) => t.trim())
      .filter((t) => t.length > 0),
  )
  .pipe(z.array(text(100)).max(100, 'at most 100 entries'));

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected one of ${values.join(', ')}` });

const clean = (v: unknown) => (typeof v === 'string' ? (v.trim() === '' ? null : v.trim()) : v);

/** An optional cell: blank (or the column left out) is null. */
export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(clean, schema.nullable().optional());
}

/** A cell that needs a value (when its column is there; `required` columns must be). */
export function filled<T extends z.ZodType>(schema: T) {
  return z
    .preprocess(clean, schema.nullable())
    .refine((v) => v !== null, 'a value is required')
    .transform((v) => v as z.output<T>);
}

/** A blank cell takes the column's default (for NOT NULL columns with one). */
export function withDefault<T extends z.ZodType>(schema: T, fallback: z.output<T>) {
  return optional(schema).transform((v) => (v ?? fallback) as z.output<T>);
}
