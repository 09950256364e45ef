// The worker's SMS provider, from the configuration (HUITOU_SMS_*): the local sink by default,
// the generic HTTP gateway, Aliyun or Tencent Cloud (both signed here). One place, used by
// `npm run worker` and `npm start`.
import type pg from 'pg';
import {
  aliyunSmsProvider,
  httpSmsProvider,
  localSinkProvider,
  tencentSmsProvider,
} from '@huitou/activities/side-effects';
import type { SmsProvider } from '@huitou/activities';
import type { SmsProviderConfig } from './config.ts';

export function smsProviderFrom(config: SmsProviderConfig, pool: pg.Pool): SmsProvider {
  switch (config.kind) {
    case 'local':
      return localSinkProvider(pool);
    case 'http':
      return httpSmsProvider({
        url: config.url,
        idempotent: config.idempotent,
        timeoutMs: config.timeoutMs,
        ...(config.token ? { headers: { authorization: `Bearer ${config.token}` } } : {}),
      });
    case 'aliyun':
      return aliyunSmsProvider({
        endpoint: config.url,
        templateCode: config.templateCode,
        accessKeyId: config.accessKeyId,
        accessKeySecret: config.accessKeySecret,
        timeoutMs: config.timeoutMs,
      });
    case 'tencent':
      return tencentSmsProvider({
        endpoint: config.url,
        secretId: config.secretId,
        secretKey: config.secretKey,
        appId: config.appId,
        templateId: config.templateCode,
        region: config.region,
        timeoutMs: config.timeoutMs,
      });
  }
}

/** What the logs may say about the provider (no secrets). */
export function describeSmsProvider(config: SmsProviderConfig): string {
  return config.kind === 'local'
    ? 'local sink (sms_sink)'
    : `${config.kind} ${new URL(config.url).host}${describeMode(config)}`;
}

function describeMode(config: Exclude<SmsProviderConfig, { kind: 'local' }>): string {
  if (config.kind === 'http') return config.idempotent ? ' (idempotent)' : '';
  if (config.kind === 'aliyun') return config.accessKeySecret ? ' (signed)' : ' (through a signing proxy)';
  return ' (signed)';
}
