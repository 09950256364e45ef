import { postJson } from '../http.ts';
import type { SmsMessage, SmsOutcome, SmsProvider } from './provider.ts';

export interface AliyunProviderOptions {
  /** The SendSms endpoint (e.g. a signing proxy in front of dysmsapi.aliyuncs.com). */
  endpoint: string;
  /** A template whose only parameter `${content}` carries our rendered text. */
  templateCode: string;
  accessKeyId?: string;
  timeoutMs?: number;
  /** Parallel requests (Aliyun's SendSms takes one parameter set per call). */
  concurrency?: number;
}

/** Aliyun answer codes, by what the sender should do (public SendSms error code list). */
const THROTTLED = new Set([
  'Throttling.User',
  'Throttling',
  'isv.BUSINESS_LIMIT_CONTROL',
  'isv.DAY_LIMIT_CONTROL',
  'isp.SYSTEM_ERROR',
  'ServiceUnavailable',
]);
// Per-number limits hit one recipient only; the others in the batch still go out.
const PER_NUMBER_THROTTLE = new Set(['isv.BUSINESS_LIMIT_CONTROL', 'isv.DAY_LIMIT_CONTROL']);
const REJECTED = new Set([
  'isv.MOBILE_NUMBER_ILLEGAL',
  'isv.BLACK_KEY_CONTROL_LIMIT',
  'isv.MOBILE_COUNT_OVER_LIMIT',
  'isv.PHONE_NUMBER_BLACKLIST',
]);
// Anything else (balance, signature, template, credentials, unknown codes) is a configuration
// problem: surfaced to people, never retried blindly.

type Answer = { Code?: string; Message?: string; BizId?: string; RequestId?: string };

/**
 * An Aliyun-style adapter: one `SendSms` call per message with `OutId` = our message key, so
 * delivery receipts and QuerySendDetails can be matched to the ledger even for a call whose
 * answer was lost. Request signing is left to the endpoint (a signing proxy) in this version.
 */
export function aliyunSmsProvider(options: AliyunProviderOptions): SmsProvider {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  return {
    name: 'aliyun',
    idempotent: false,
    async send(batch: readonly SmsMessage[]): Promise<SmsOutcome[]> {
      const outcomes: SmsOutcome[] = new Array(batch.length);
      // After an account-wide throttle or a configuration error, the rest of the batch is not attempted.
      let halt: SmsOutcome | null = null;
      let next = 0;
      const worker = async () => {
        while (next < batch.length) {
          const i = next++;
          if (halt) {
            outcomes[i] = halt;
            continue;
          }
          const outcome = await sendOne(batch[i]);
          outcomes[i] = outcome;
          if (outcome.outcome === 'not_sent' && !PER_NUMBER_THROTTLE.has(outcome.code)) halt ??= outcome;
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
      return outcomes;
    },
  };

  async function sendOne(m: SmsMessage): Promise<SmsOutcome> {
    const { signName, content } = splitSignature(m.body);
    const request = {
      Action: 'SendSms',
      PhoneNumbers: m.to.replace(/^\+86/, ''),
      SignName: signName,
      TemplateCode: options.templateCode,
      TemplateParam: JSON.stringify({ content }),
      OutId: m.key,
    };
    const headers: Record<string, string> = options.accessKeyId ? { 'x-acs-accesskey-id': options.accessKeyId } : {};
    const res = await postJson(options.endpoint, request, { timeoutMs, headers });
    if (res.kind === 'error') {
      return res.maybeProcessed
        ? { outcome: 'unknown', code: res.code, message: res.message }
        : { outcome: 'not_sent', code: res.code, message: res.message, retryable: true };
    }
    const answer = (typeof res.body === 'object' && res.body !== null ? res.body : {}) as Answer;
    return mapAliyunAnswer(res.status, answer, res.retryAfterMs);
  }
}

export function mapAliyunAnswer(status: number, answer: Answer, retryAfterMs?: number): SmsOutcome {
  const code = answer.Code ?? `http_${status}`;
  const message = answer.Message ?? '';
  if (code === 'OK' && answer.BizId) return { outcome: 'sent', providerMessageId: answer.BizId };
  if (THROTTLED.has(code) || status === 429)
    return { outcome: 'not_sent', code, message, retryable: true, retryAfterMs };
  if (REJECTED.has(code)) return { outcome: 'rejected', code, message };
  // A 5xx without an Aliyun code may come from a proxy after the request went through.
  if (answer.Code === undefined && status >= 500) return { outcome: 'unknown', code, message };
  return { outcome: 'not_sent', code, message, retryable: false };
}

/** Aliyun adds the signature itself from SignName: split `【店名】body` into the two. */
function splitSignature(text: string): { signName: string; content: string } {
  const match = /^【([^】]+)】/.exec(text);
  return match ? { signName: match[1], content: text.slice(match[0].length) } : { signName: '', content: text };
}
