// Every error the API returns has one shape: { error: { status, code, path, message } }, so
// clients (the builder, shop integrations) can pin a problem to a field without parsing prose.
import type { ErrorRequestHandler } from 'express';
import { issuePath } from '@huitou/schemas';
import type { z } from 'zod';
import { ApiError } from '../errors.ts';
import type { LogFn } from '../observability/logger.ts';
import { requestIdOf } from './log.ts';

export { ApiError, conflict, notFound, unprocessable } from '../errors.ts';
export type { ErrorBody, ErrorPath } from '../errors.ts';

/** A zod failure on request input: 400, the first issue's path prefixed by where it was (body, query, params). */
export function fromZod(error: z.ZodError, where: 'body' | 'query' | 'params'): ApiError {
  const issues = error.issues
    .map(unwrapUnion)
    .map((issue) => ({ path: [where, ...issuePath(issue)], message: issue.message, code: issue.code }));
  const first = issues[0];
  const code = first.code === 'unrecognized_keys' ? 'unknown_field' : 'invalid_request';
  return new ApiError(400, code, first.message, first.path, issues.length > 1 ? { issues } : undefined);
}

/**
 * A union (single event or batch) reports "no branch matched" at its root. The branch the client
 * meant is one whose fields it used (no unknown keys at the branch's root: `{ events: [...] }` is the
 * batch), and among those the one whose first issue lies deepest; its issue, with the full path, is reported.
 */
function unwrapUnion(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  const knowsKeys = (e: z.core.$ZodIssue[]) => !e.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0);
  const candidates = issue.errors.some(knowsKeys) ? issue.errors.filter(knowsKeys) : issue.errors;
  const best = candidates.reduce((a, b) => ((b[0]?.path.length ?? 0) > (a[0]?.path.length ?? 0) ? b : a));
  if (!best[0]) return issue;
  return unwrapUnion({ ...best[0], path: [...issue.path, ...best[0].path] } as z.core.$ZodIssue);
}

/** body-parser's errors (malformed JSON, oversize bodies, wrong charset) and ours, as ErrorBody. */
export function errorHandler(log: LogFn): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const apiError = toApiError(err);
    if (apiError.status >= 500)
      log(
        `${req.method} ${req.path} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        'error',
        { requestId: requestIdOf(res) },
      );
    res.status(apiError.status).json(apiError.toBody());
  };
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  // The router decodes path parameters before any handler (authentication included) runs.
  if (err instanceof URIError)
    return new ApiError(400, 'malformed_path', 'a path segment is not valid percent-encoding', ['path']);
  const e = err as { type?: string; status?: number; message?: string; code?: string; expose?: boolean };
  switch (e?.type) {
    case 'entity.parse.failed':
      return new ApiError(400, 'malformed_json', 'the request body is not valid JSON', ['body']);
    case 'entity.too.large':
      return new ApiError(413, 'body_too_large', 'the request body is too large', ['body']);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(415, 'unsupported_encoding', e.message ?? 'unsupported encoding', ['body']);
  }
  // Other client errors of the body reader: a corrupt gzip/deflate/br stream, an aborted or
  // mis-sized body. Their messages can quote the input, so they are not repeated.
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose)
    return new ApiError(e.status, 'malformed_body', 'the request body could not be read or decompressed', ['body']);
  // Postgres rejections we did not foresee are still the client's fault when they are about values.
  if (e?.code === '22P02' || e?.code === '22007' || e?.code === '22008')
    return new ApiError(400, 'invalid_value', 'a value has the wrong format', []);
  return new ApiError(500, 'internal', 'internal error');
}
