import { randomUUID } from 'node:crypto';
import { postBody, postJson } from '../http.ts';
import type { PostResult } from '../http.ts';
import { aliyunPercentEncode, aliyunRpcSignature, aliyunTimestamp } from './aliyun-signature.ts';
import type { SmsMessage, SmsOutcome, SmsProvider } from './provider.ts';
import { sendOneByOne, transportOutcome } from './one-by-one.ts';
import { splitSignature } from './signature-name.ts';

export interface AliyunProviderOptions {
  /** dysmsapi.aliyuncs.com (signed requests) or a signing proxy in front of it (no secret). */
  endpoint: string;
  /** A template whose only parameter `${content}` carries our rendered text. */
  templateCode: string;
  accessKeyId?: string;
  /** With the key id: requests are signed here (RPC signature 1.0), no proxy needed. */
  accessKeySecret?: string;
  /** Clock and nonce of the signature (tests pin them). */
  now?: () => Date;
  nonce?: () => string;
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
 * answer was lost. With an AccessKey secret the call is signed as Aliyun documents (a form POST
 * with the common parameters); without one it goes as JSON to a signing proxy, as before.
 */
export function aliyunSmsProvider(options: AliyunProviderOptions): SmsProvider {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const concurrency = options.concurrency ?? 8;
  return {
    name: 'aliyun',
    idempotent: false,
    send: (batch) => sendOneByOne(batch, concurrency, sendOne, (code) => PER_NUMBER_THROTTLE.has(code)),
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
    const res = await post(request);
    if (res.kind === 'error') return transportOutcome(res);
    const answer = (typeof res.body === 'object' && res.body !== null ? res.body : {}) as Answer;
    return mapAliyunAnswer(res.status, answer, res.retryAfterMs);
  }

  function post(request: Record<string, string>): Promise<PostResult> {
    const { accessKeyId, accessKeySecret } = options;
    if (accessKeyId && accessKeySecret) {
      const params: Record<string, string> = {
        ...request,
        AccessKeyId: accessKeyId,
        Format: 'JSON',
        RegionId: 'cn-hangzhou',
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: (options.nonce ?? randomUUID)(),
        SignatureVersion: '1.0',
        Timestamp: aliyunTimestamp((options.now ?? (() => new Date()))()),
        Version: '2017-05-25',
      };
      params.Signature = aliyunRpcSignature('POST', params, accessKeySecret);
      const body = Object.entries(params)
        .map(([k, v]) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(v)}`)
        .join('&');
      return postBody(options.endpoint, body, {
        timeoutMs,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' },
      });
    }
    const headers: Record<string, string> = accessKeyId ? { 'x-acs-accesskey-id': accessKeyId } : {};
    return postJson(options.endpoint, request, { timeoutMs, headers });
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
