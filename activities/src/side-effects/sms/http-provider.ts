import { digest } from '../keys.ts';
import { postJson } from '../http.ts';
import type { SmsMessage, SmsOutcome, SmsProvider } from './provider.ts';

export interface HttpProviderOptions {
  url: string;
  name?: string;
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** The gateway deduplicates by message key (then a message of unknown outcome may be re-sent). */
  idempotent?: boolean;
}

/**
 * A generic JSON gateway. Request: `POST {messages: [{key, to, body, class, segments}]}` with an
 * `Idempotency-Key` header for the batch. Response 2xx: `{results: [{key, status: 'sent' |
 * 'rejected', id?, code?, message?}]}`. 429 and 503 mean nothing was sent (retry later); other
 * 4xx mean a configuration error; other 5xx, timeouts and broken connections leave the outcome unknown.
 */
export function httpSmsProvider(options: HttpProviderOptions): SmsProvider {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    name: options.name ?? 'http',
    idempotent: options.idempotent ?? false,
    async send(batch: readonly SmsMessage[]): Promise<SmsOutcome[]> {
      if (batch.length === 0) return [];
      const payload = {
        messages: batch.map((m) => ({ key: m.key, to: m.to, body: m.body, class: m.smsClass, segments: m.segments })),
      };
      const headers = { ...options.headers, 'idempotency-key': digest(batch.map((m) => m.key).join('\n')) };
      const res = await postJson(options.url, payload, { timeoutMs, headers });
      if (res.kind === 'error') {
        const all: SmsOutcome = res.maybeProcessed
          ? { outcome: 'unknown', code: res.code, message: res.message }
          : { outcome: 'not_sent', code: res.code, message: res.message, retryable: true };
        return batch.map(() => all);
      }
      if (res.status < 200 || res.status >= 300)
        return batch.map(() => statusOutcome(res.status, res.body, res.retryAfterMs));
      const results = new Map<string, GatewayResult>();
      for (const r of (res.body as { results?: GatewayResult[] } | null)?.results ?? []) results.set(r.key, r);
      return batch.map((m): SmsOutcome => {
        const r = results.get(m.key);
        if (r?.status === 'sent' && r.id) return { outcome: 'sent', providerMessageId: String(r.id) };
        if (r?.status === 'rejected')
          return { outcome: 'rejected', code: r.code ?? 'rejected', message: r.message ?? '' };
        return {
          outcome: 'unknown',
          code: 'no_result',
          message: 'the gateway answered without a result for this message',
        };
      });
    },
  };
}

interface GatewayResult {
  key: string;
  status: 'sent' | 'rejected';
  id?: string;
  code?: string;
  message?: string;
}

function statusOutcome(status: number, body: unknown, retryAfterMs?: number): SmsOutcome {
  const message = typeof body === 'string' ? body.slice(0, 200) : JSON.stringify(body ?? null).slice(0, 200);
  const code = `http_${status}`;
  if (status === 429 || status === 503) return { outcome: 'not_sent', code, message, retryable: true, retryAfterMs };
  if (status >= 400 && status < 500) return { outcome: 'not_sent', code, message, retryable: false };
  return { outcome: 'unknown', code, message };
}
