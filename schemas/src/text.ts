// Text rules for names and labels people read in lists and logs: bidi controls (U+202A..U+202E,
// U+2066..U+2069, U+200E/U+200F, U+061C) reorder what follows them on screen, so "invoice.exe" can
// display as something else; C0/C1 controls break log lines and tables. NUL and lone surrogates are
// refused API-wide before any schema runs (engine/src/api/input-hygiene.ts).
import { z } from 'zod';

// eslint-disable-next-line no-control-regex
const UNSAFE_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

export const hasUnsafeNameCharacter = (s: string): boolean => UNSAFE_IN_NAMES.test(s);

/** A display name: trimmed, 1..max characters, no control or bidi characters. */
export const DisplayName = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !hasUnsafeNameCharacter(s), 'may not contain control or bidi characters');
