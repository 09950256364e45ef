import type pg from 'pg';
import type { NodeParams } from '@huitou/schemas';
import type { NodeCall } from '../contract.ts';
import { issueCoupon } from './coupon.ts';
import { createStaffTask } from './task.ts';
import { tagCustomers } from './tag.ts';
import type { WebhookOptions } from './webhook.ts';
import { callWebhook } from './webhook.ts';
import { sendSms } from './sms/send.ts';
import type { SmsProvider } from './sms/provider.ts';

export interface SideEffectDeps {
  pool: pg.Pool;
  provider: SmsProvider;
  /** Wall clock (tests pin it); the send path acts at max(workflow time, this). */
  now?: () => Date;
  /** Members per batch (bounded memory); default 1000. */
  batchSize?: number;
  webhook?: Partial<WebhookOptions>;
}

/** The built-in side-effect activities, bound to a pool and an SMS provider, for the worker to register. */
export function createSideEffectActivities(deps: SideEffectDeps) {
  const base = { pool: deps.pool, now: deps.now ?? (() => new Date()), batchSize: deps.batchSize };
  return {
    sendSms: (call: NodeCall<NodeParams<'action.sms'>>) => sendSms({ ...base, provider: deps.provider }, call),
    issueCoupon: (call: NodeCall<NodeParams<'action.coupon'>>) => issueCoupon(base, call),
    createStaffTask: (call: NodeCall<NodeParams<'action.task'>>) =>
      createStaffTask({ ...base, provider: deps.provider, webhook: deps.webhook }, call),
    tagCustomers: (call: NodeCall<NodeParams<'action.tag'>>) => tagCustomers(base, call),
    callWebhook: (call: NodeCall<NodeParams<'action.webhook'>>) =>
      callWebhook({ ...base, webhook: deps.webhook }, call),
  };
}

export type SideEffectActivities = ReturnType<typeof createSideEffectActivities>;

export type { SmsMessage, SmsOutcome, SmsProvider, SmsLookup } from './sms/provider.ts';
export { localSinkProvider } from './sms/local-sink.ts';
export { httpSmsProvider } from './sms/http-provider.ts';
export type { HttpProviderOptions } from './sms/http-provider.ts';
export { aliyunSmsProvider, mapAliyunAnswer } from './sms/aliyun-provider.ts';
export type { AliyunProviderOptions } from './sms/aliyun-provider.ts';
export { tencentSmsProvider, mapTencentAnswer } from './sms/tencent-provider.ts';
export type { TencentProviderOptions } from './sms/tencent-provider.ts';
export { aliyunRpcSignature, aliyunStringToSign, aliyunPercentEncode } from './sms/aliyun-signature.ts';
export { tc3Sign } from './sms/tencent-signature.ts';
export { newWebhookSecret, standardWebhookSignature, webhookEndpointSecret } from './webhook-signing.ts';
export { recordDeliveryReceipts, closeUnconfirmed } from './sms/receipts.ts';
export type { DeliveryReceipt } from './sms/receipts.ts';
export { SMS_FAILURE } from './sms/failures.ts';
export { couponCode, couponStockKey } from './coupon.ts';
export { keyPrefix, cyclePath } from './keys.ts';
export { taskNotificationKey, taskSmsBody } from './task-notify.ts';
