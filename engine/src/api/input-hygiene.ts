// Input every route refuses before its schema runs: JSON nested deeper than MAX_JSON_DEPTH (checked
// on the raw bytes, before JSON.parse and every recursive walk after it), and strings or keys with
// NUL or lone UTF-16 surrogates anywhere in the body, query or path (Postgres text and jsonb
// reject both, and half a surrogate pair is not text). Each is a 400 naming the field.
import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors.ts';
import type { ErrorPath } from './errors.ts';

/** Deepest nesting of arrays and objects a request body may have. */
export const MAX_JSON_DEPTH = 64;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * body-parser's `verify` hook: scans the raw body for nesting depth, so a 20,000-deep body is
 * refused without the parser or any recursive walk ever seeing it. Structural characters are ASCII,
 * so scanning UTF-8 bytes is exact; strings are skipped.
 */
export function verifyJsonDepth(_req: IncomingMessage, _res: unknown, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i += 1) {
    const b = buf[i];
    if (inString) {
      if (b === BACKSLASH) i += 1;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH)
        throw new ApiError(400, 'too_deep', `the body is nested deeper than ${MAX_JSON_DEPTH} levels`, ['body']);
    } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) depth -= 1;
  }
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one (code units, no u flag).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string may not be stored, or undefined when it may. */
export function badText(s: string): string | undefined {
  if (s.includes('\u0000')) return 'may not contain NUL (U+0000) characters';
  if (LONE_SURROGATE.test(s)) return 'may not contain lone UTF-16 surrogates';
  return undefined;
}

/** Throws a 400 naming the first string (value or key) that breaks the text rules, or nests too deep. */
export function assertCleanInput(value: unknown, path: ErrorPath): void {
  // An explicit stack: the depth limit holds for values that did not come through the JSON parser too.
  const stack: { value: unknown; path: ErrorPath }[] = [{ value, path }];
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown; path: ErrorPath };
    const v = item.value;
    if (typeof v === 'string') {
      const why = badText(v);
      if (why) throw new ApiError(400, 'invalid_text', why, item.path);
    } else if (v !== null && typeof v === 'object') {
      if (item.path.length - path.length >= MAX_JSON_DEPTH)
        throw new ApiError(400, 'too_deep', `nested deeper than ${MAX_JSON_DEPTH} levels`, item.path);
      // Pushed in reverse so that the first offending field in document order is the one reported.
      for (const [k, child] of Object.entries(v).reverse()) {
        const childPath = [...item.path, Array.isArray(v) ? Number(k) : k];
        const why = badText(k);
        if (why) throw new ApiError(400, 'invalid_text', `a field name ${why}`, childPath);
        stack.push({ value: child, path: childPath });
      }
    }
  }
}
