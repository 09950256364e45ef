import { postBody } from '../http.ts';
import { sendOneByOne, transportOutcome } from './one-by-one.ts';
import type { SmsMessage, SmsOutcome, SmsProvider } from './provider.ts';
import { splitSignature } from './signature-name.ts';
import { tc3Sign } from './tencent-signature.ts';

export interface TencentProviderOptions {
  /** https://sms.tencentcloudapi.com/ (or a local fake gateway in tests). */
  endpoint: string;
  secretId: string;
  secretKey: string;
  /** The SMS application's SdkAppId (短信应用 ID). */
  appId: string;
  /** A template whose only parameter `{1}` carries our rendered text. */
  templateId: string;
  /** Default ap-guangzhou. */
  region?: string;
  timeoutMs?: number;
  concurrency?: number;
  /** The signature's clock (tests pin it). */
  now?: () => Date;
}

const CONTENT_TYPE = 'application/json; charset=utf-8';

/** SendSms error codes (Tencent Cloud SMS API 3.0 error list), by what the sender should do. */
const PER_NUMBER_THROTTLE = new Set([
  'LimitExceeded.PhoneNumberDailyLimit',
  'LimitExceeded.PhoneNumberOneHourLimit',
  'LimitExceeded.PhoneNumberThirtySecondLimit',
  'LimitExceeded.PhoneNumberSameContentDailyLimit',
  'LimitExceeded.DeliveryFrequencyLimit',
]);
const REJECTED = new Set([
  'InvalidParameterValue.IncorrectPhoneNumber',
  'FailedOperation.PhoneNumberInBlacklist',
  'FailedOperation.PhoneNumberParseFail',
  'UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone',
  'UnsupportedOperation.UnsupportedRegion',
]);
const isAccountThrottle = (code: string) =>
  code.startsWith('RequestLimitExceeded') || code === 'LimitExceeded.DailyLimit';
// Anything else (balance, signature, template, credentials, unknown codes) is a configuration
// problem: surfaced to people, never retried blindly. InternalError may have sent: unknown.

type SendStatus = { SerialNo?: string; Code?: string; Message?: string; SessionContext?: string };
type Answer = { Response?: { SendStatusSet?: SendStatus[]; Error?: { Code?: string; Message?: string } } };

/**
 * Tencent Cloud SMS (SendSms, API version 2021-01-11), signed with TC3-HMAC-SHA256. One call per
 * message with SessionContext = our message key; the SerialNo it answers is the id receipts carry.
 */
export function tencentSmsProvider(options: TencentProviderOptions): SmsProvider {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const url = new URL(options.endpoint);
  return {
    name: 'tencent',
    idempotent: false,
    send: (batch) => sendOneByOne(batch, options.concurrency ?? 8, sendOne, (c) => PER_NUMBER_THROTTLE.has(c)),
  };

  async function sendOne(m: SmsMessage): Promise<SmsOutcome> {
    const { signName, content } = splitSignature(m.body);
    const payload = JSON.stringify({
      PhoneNumberSet: [m.to],
      SmsSdkAppId: options.appId,
      SignName: signName,
      TemplateId: options.templateId,
      TemplateParamSet: [content],
      SessionContext: m.key,
    });
    const timestamp = Math.floor((options.now ?? (() => new Date()))().getTime() / 1000);
    const { authorization } = tc3Sign({
      secretId: options.secretId,
      secretKey: options.secretKey,
      service: 'sms',
      host: url.host,
      contentType: CONTENT_TYPE,
      payload,
      timestamp,
    });
    const res = await postBody(options.endpoint, payload, {
      timeoutMs,
      headers: {
        authorization,
        'content-type': CONTENT_TYPE,
        'x-tc-action': 'SendSms',
        'x-tc-version': '2021-01-11',
        'x-tc-region': options.region ?? 'ap-guangzhou',
        'x-tc-timestamp': String(timestamp),
      },
    });
    if (res.kind === 'error') return transportOutcome(res);
    return mapTencentAnswer(res.status, (typeof res.body === 'object' && res.body !== null ? res.body : {}) as Answer);
  }
}

export function mapTencentAnswer(status: number, answer: Answer): SmsOutcome {
  const response = answer.Response;
  const result = response?.Error ?? response?.SendStatusSet?.[0];
  if (!result) {
    // No answer from Tencent itself: a proxy's 5xx may come after the request went through.
    return status >= 500 || status === 0
      ? { outcome: 'unknown', code: `http_${status}`, message: '' }
      : { outcome: 'not_sent', code: `http_${status}`, message: '', retryable: status === 429 };
  }
  const code = result.Code ?? `http_${status}`;
  const message = result.Message ?? '';
  const serialNo = (result as SendStatus).SerialNo;
  if (code === 'Ok' && serialNo) return { outcome: 'sent', providerMessageId: serialNo };
  if (PER_NUMBER_THROTTLE.has(code) || isAccountThrottle(code) || status === 429)
    return { outcome: 'not_sent', code, message, retryable: true };
  if (REJECTED.has(code)) return { outcome: 'rejected', code, message };
  if (code.startsWith('InternalError')) return { outcome: 'unknown', code, message };
  return { outcome: 'not_sent', code, message, retryable: false };
}
