// API log lines. Phone numbers are personal data: no line carries one in full (docs/domain.md §
// SMS rules). A request's URL is text an anonymous client chose: every line is escaped, so a CR, LF
// or control character in it cannot start a forged line, and the request line itself is JSON.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { maskPhones } from '@huitou/activities/segments';
import type { LogFn } from '../observability/logger.ts';

export { maskPhones };

// Control and format characters (bidi overrides included), line/paragraph separators and lone
// surrogates: none may reach a log verbatim.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/**
 * Shown as JSON escapes (\n, \r, \t, \u202e): one record stays one line, what was sent stays
 * readable, and a JSON line stays valid JSON.
 */
export function escapeLogText(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    let escaped = '';
    for (let i = 0; i < c.length; i++) escaped += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return escaped;
  });
}

/** Logs a masked, escaped line (level and fields passed on); what the API gives its deps.log. */
export const maskedLog =
  (log: LogFn): LogFn =>
  (message, level, fields) =>
    log(escapeLogText(maskPhones(message)), level, fields);

export const REQUEST_ID_HEADER = 'X-Request-Id';
// A caller's (or a proxy's) id is kept when it is a plain token, so one id follows the request
// through every hop; anything else is replaced rather than logged.
const CALLER_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id (the caller's X-Request-Id or a new one); echoed in the response header. */
export const requestIdOf = (res: { locals: Record<string, unknown> }): string | undefined =>
  typeof res.locals.requestId === 'string' ? res.locals.requestId : undefined;

/**
 * One JSON line per request: `request {"method":"GET","url":"/api/runs?x=1","status":200,"ms":1.2,"requestId":"…"}`,
 * at warn for a 5xx. The URL is decoded (so an encoded phone number is found and masked) and masked;
 * JSON escapes its control characters, and the deps.log it is given (maskedLog) escapes the rest.
 */
export function requestLog(log: LogFn): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const given = req.get(REQUEST_ID_HEADER);
    const requestId = given && CALLER_ID.test(given) ? given : randomUUID();
    res.locals.requestId = requestId;
    res.set(REQUEST_ID_HEADER, requestId);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const url = maskQueryKeys(maskPhones(decodeSafe(req.originalUrl)));
      const line = { method: req.method, url, status: res.statusCode, ms: Number(ms.toFixed(1)), requestId };
      log(`request ${JSON.stringify(line)}`, res.statusCode >= 500 ? 'warn' : 'info', { requestId });
    });
    next();
  };
}

/**
 * A vendor callback's `?key=hk_…` is a credential, an unsubscribe link's `?t=` names a customer's
 * address: neither is written to a log.
 */
export function maskQueryKeys(url: string): string {
  return url.replace(/([?&](?:key|t)=)[^&#]*/gi, '$1***');
}

function decodeSafe(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}
