// Phone numbers are personal data: no log line carries one in full (docs/domain.md § SMS rules).
import type { RequestHandler } from 'express';
import { maskPhone } from '@huitou/activities/segments';

// Digit runs of 7+ (optionally +, spaces or dashes inside) that look like phone numbers.
const PHONE = /\+?\d(?:[\s-]?\d){6,14}/g;

export function maskPhones(text: string): string {
  return text.replace(PHONE, (m) => maskPhone(m.replace(/[\s-]/g, '')) ?? m);
}

/** Logs a masked line; what the API gives its deps.log. */
export const maskedLog = (log: (message: string) => void) => (message: string) => log(maskPhones(message));

/** One line per request: method, path with query (masked), status, duration. */
export function requestLog(log: (message: string) => void): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log(`${req.method} ${decodeSafe(req.originalUrl)} ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
    next();
  };
}

function decodeSafe(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}
