/** A POST with a timeout, classified so callers know whether the request may have been processed. */
export type PostResult =
  | { kind: 'response'; status: number; body: unknown; retryAfterMs?: number }
  /** `maybeProcessed`: the request may have reached the peer (timeout, reset), so its effect is unknown. */
  | { kind: 'error'; maybeProcessed: boolean; code: string; message: string };

// Errors raised before a byte of the request can have reached the peer.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export interface PostOptions {
  timeoutMs: number;
  headers?: Record<string, string>;
}

export function postJson(url: string, payload: unknown, options: PostOptions): Promise<PostResult> {
  return postBody(url, JSON.stringify(payload), {
    ...options,
    headers: { 'content-type': 'application/json', ...options.headers },
  });
}

/** A POST of a body already serialised (a signature covers these exact bytes); headers name its type. */
export async function postBody(url: string, payload: string, options: PostOptions): Promise<PostResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: options.headers,
      body: payload,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    return classifyFetchError(error);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    // Headers arrived, so the peer did process the request.
    return { ...classifyFetchError(error), maybeProcessed: true };
  }
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON: callers see the raw text.
  }
  return {
    kind: 'response',
    status: response.status,
    body,
    retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
  };
}

function classifyFetchError(error: unknown): Extract<PostResult, { kind: 'error' }> {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return { kind: 'error', maybeProcessed: true, code: 'timeout', message: 'the request timed out' };
  }
  const code = e?.cause?.code ?? 'network_error';
  return {
    kind: 'error',
    maybeProcessed: !NOT_SENT_CODES.has(code),
    code,
    message: e?.cause?.message ?? e?.message ?? String(error),
  };
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
