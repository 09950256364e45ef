// Aliyun and Tencent Cloud signed here (no proxy), against local gateways that verify each
// request's signature as the vendor does; receipts come back through the vendors' own callbacks.
import { ApplicationFailure } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CohortRef } from '../../../activities/src/contract.ts';
import type { SmsProvider } from '../../../activities/src/side-effects/index.ts';
import {
  SMS_FAILURE,
  aliyunSmsProvider,
  createSideEffectActivities,
  mapTencentAnswer,
  tencentSmsProvider,
} from '../../../activities/src/side-effects/index.ts';
import { insertCustomers, insertRun } from '../db/fixtures.ts';
import type { TestApi } from '../api/helpers.ts';
import { startTestApi } from '../api/helpers.ts';
import { describeEngine } from '../db/test-database.ts';
import type { FakeGateway } from '../../support/sms-gateways.ts';
import { startFakeAliyun, startFakeTencent } from '../../support/sms-gateways.ts';
import { never, nodeCall, shanghai } from './helpers.ts';

const NOON = shanghai('2026-11-12T12:00:00');
const ALIYUN_KEYS = { LTAI5tExample: 'aliyun-secret' };
const TENCENT_KEYS = { AKIDExample: 'tencent-secret' };

describe(`signed SMS vendors (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let ref: CohortRef;
  const gateways: FakeGateway[] = [];
  const gateway = async (g: Promise<FakeGateway>) => {
    gateways.push(await g);
    return gateways[gateways.length - 1] as FakeGateway;
  };
  const send = (provider: SmsProvider, nodeId: string) =>
    createSideEffectActivities({ pool: api.db.pool, provider, now: never, batchSize: 2 }).sendSms(
      nodeCall('action.sms', { smsClass: 'notification', template: '订单已发货' }, { ref, nodeId, now: NOON }),
    );
  const ledger = async (nodeId: string) =>
    (
      await api.db.pool.query<{ status: string; provider_message_id: string | null; error_code: string | null }>(
        'SELECT status, provider_message_id, error_code FROM messages WHERE node_id = $1 ORDER BY customer_id',
        [nodeId],
      )
    ).rows;

  beforeAll(async () => {
    api = await startTestApi();
    await insertCustomers(api.db.pool, [1, 2, 3, 4, 5]);
    const runId = await insertRun(
      api.db.pool,
      [1, 2, 3, 4, 5].map((customerId) => ({ customerId, shard: 0, holdout: customerId === 5 })),
    );
    ref = { runId, shard: 0, cohort: 'root' };
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.close()));
    await api?.close();
  });

  it('Aliyun: signed SendSms form posts are accepted; Aliyun receipt pushes settle the ledger', async () => {
    const gw = await gateway(
      startFakeAliyun(ALIYUN_KEYS, (p) =>
        p.PhoneNumbers?.endsWith('02')
          ? { body: { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: 'invalid number' } }
          : { body: { Code: 'OK', BizId: `biz-${p.PhoneNumbers}`, RequestId: 'r' } },
      ),
    );
    const provider = aliyunSmsProvider({
      endpoint: gw.url,
      templateCode: 'SMS_1',
      accessKeyId: 'LTAI5tExample',
      accessKeySecret: 'aliyun-secret',
    });
    expect(await send(provider, 'ali-signed')).toMatchObject({ done: 3, skipped: { provider_rejected: 1 } });
    expect(gw.refused).toHaveLength(0);
    expect(gw.requests).toHaveLength(4);
    const first = gw.requests.find((r) => r.body.PhoneNumbers === '19000000001')?.body;
    expect(first).toMatchObject({
      Action: 'SendSms',
      Version: '2017-05-25',
      SignatureMethod: 'HMAC-SHA1',
      SignName: '回头小店',
      TemplateCode: 'SMS_1',
      TemplateParam: JSON.stringify({ content: '订单已发货' }),
      OutId: `${ref.runId}/s:0/ali-signed//1`,
    });
    // Every request carries its own nonce (Aliyun refuses a replayed one).
    expect(new Set(gw.requests.map((r) => r.body.SignatureNonce)).size).toBe(4);

    const push = [
      {
        phone_number: '19000000001',
        send_time: '2026-11-12 12:00:01',
        report_time: '2026-11-12 12:00:09',
        success: true,
        err_code: 'DELIVERED',
        err_msg: '用户接收成功',
        sms_size: '1',
        biz_id: 'biz-19000000001',
        out_id: `${ref.runId}/s:0/ali-signed//1`,
      },
      {
        phone_number: '19000000003',
        send_time: '2026-11-12 12:00:01',
        report_time: '2026-11-12 12:00:30',
        success: false,
        err_code: 'MK:0001',
        err_msg: '失败',
        sms_size: '1',
        biz_id: 'biz-19000000003',
      },
    ];
    const res = await api.call('POST', `/api/sms/receipts/aliyun?key=${api.keys.engineer}`, { role: null, body: push });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ code: 0, msg: '成功', updated: 2 });
    expect(await ledger('ali-signed')).toEqual([
      { status: 'delivered', provider_message_id: 'biz-19000000001', error_code: null },
      { status: 'failed', provider_message_id: null, error_code: 'isv.MOBILE_NUMBER_ILLEGAL' },
      { status: 'undelivered', provider_message_id: 'biz-19000000003', error_code: 'MK:0001' },
      { status: 'sent', provider_message_id: 'biz-19000000004', error_code: null },
    ]);
    const delivered = await api.db.pool.query<{ delivered_at: Date }>(
      `SELECT delivered_at FROM messages WHERE provider_message_id = 'biz-19000000001'`,
    );
    expect(delivered.rows[0]?.delivered_at.toISOString()).toBe('2026-11-12T04:00:09.000Z'); // Beijing time
    // The key in the URL never reaches the log.
    expect(api.logs.join('\n')).not.toContain(api.keys.engineer);
  });

  it('Aliyun: a wrong secret is refused by the gateway and surfaces as a configuration error', async () => {
    const gw = await gateway(startFakeAliyun(ALIYUN_KEYS, () => ({ body: { Code: 'OK', BizId: 'never' } })));
    const provider = aliyunSmsProvider({
      endpoint: gw.url,
      templateCode: 'SMS_1',
      accessKeyId: 'LTAI5tExample',
      accessKeySecret: 'not-the-secret',
      concurrency: 1,
    });
    const error = await send(provider, 'ali-wrong-key').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect([(error as ApplicationFailure).type, (error as ApplicationFailure).nonRetryable]).toEqual([
      SMS_FAILURE.config,
      true,
    ]);
    expect([gw.requests.length, gw.refused.length]).toEqual([0, 1]);
    expect(await ledger('ali-wrong-key')).toEqual([]);
  });

  it('Tencent: TC3-signed SendSms calls are accepted; status callbacks settle the ledger by SerialNo', async () => {
    const gw = await gateway(
      startFakeTencent(TENCENT_KEYS, (p) => {
        const phone = (p.PhoneNumberSet as string[])[0] as string;
        if (phone.endsWith('02'))
          return {
            body: {
              Response: {
                SendStatusSet: [
                  {
                    SerialNo: '',
                    PhoneNumber: phone,
                    Code: 'InvalidParameterValue.IncorrectPhoneNumber',
                    Message: 'bad',
                    SessionContext: p.SessionContext,
                  },
                ],
                RequestId: 'r',
              },
            },
          };
        return {
          body: {
            Response: {
              SendStatusSet: [
                {
                  SerialNo: `sn-${phone}`,
                  PhoneNumber: phone,
                  Fee: 1,
                  Code: 'Ok',
                  Message: 'send success',
                  SessionContext: p.SessionContext,
                },
              ],
              RequestId: 'r',
            },
          },
        };
      }),
    );
    const provider = tencentSmsProvider({
      endpoint: gw.url,
      secretId: 'AKIDExample',
      secretKey: 'tencent-secret',
      appId: '1400006666',
      templateId: '1110',
    });
    expect(await send(provider, 'tc-signed')).toMatchObject({ done: 3, skipped: { provider_rejected: 1 } });
    expect([gw.requests.length, gw.refused.length]).toEqual([4, 0]);
    const first = gw.requests.find((r) => (r.body.PhoneNumberSet as string[])[0] === '+8619000000001');
    expect(first?.body).toEqual({
      PhoneNumberSet: ['+8619000000001'],
      SmsSdkAppId: '1400006666',
      SignName: '回头小店',
      TemplateId: '1110',
      TemplateParamSet: ['订单已发货'],
      SessionContext: `${ref.runId}/s:0/tc-signed//1`,
    });
    expect(first?.headers).toMatchObject({
      'x-tc-action': 'SendSms',
      'x-tc-version': '2021-01-11',
      'x-tc-region': 'ap-guangzhou',
    });

    const callback = [
      {
        user_receive_time: '2026-11-12 12:00:09',
        nationcode: '86',
        mobile: '19000000001',
        report_status: 'SUCCESS',
        errmsg: 'DELIVRD',
        description: '用户短信送达成功',
        sid: 'sn-+8619000000001',
      },
      {
        user_receive_time: '2026-11-12 12:00:40',
        nationcode: '86',
        mobile: '19000000004',
        report_status: 'FAIL',
        errmsg: '002',
        description: '关机',
        sid: 'sn-+8619000000004',
      },
    ];
    const res = await api.call('POST', `/api/sms/receipts/tencent?key=${api.keys.engineer}`, {
      role: null,
      body: callback,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: 0, errmsg: 'OK', updated: 2 });
    expect((await ledger('tc-signed')).map((r) => [r.status, r.error_code])).toEqual([
      ['delivered', null],
      ['failed', 'InvalidParameterValue.IncorrectPhoneNumber'],
      ['sent', null],
      ['undelivered', '002'],
    ]);
  });

  it('Tencent: a wrong key is refused with the vendor signature error, not retried', async () => {
    const gw = await gateway(startFakeTencent(TENCENT_KEYS, () => ({ body: {} })));
    const provider = tencentSmsProvider({
      endpoint: gw.url,
      secretId: 'AKIDExample',
      secretKey: 'wrong',
      appId: '1400006666',
      templateId: '1110',
      concurrency: 1,
    });
    const error = (await send(provider, 'tc-wrong-key').catch((e: unknown) => e)) as ApplicationFailure;
    expect([error.type, error.nonRetryable]).toEqual([SMS_FAILURE.config, true]);
    expect(error.message).toContain('AuthFailure.SignatureFailure');
    expect([gw.requests.length, gw.refused.length]).toEqual([0, 1]);
  });

  it('maps Tencent answers: throttles retry, bad numbers are rejections, internal errors may have sent', () => {
    const status = (Code: string, SerialNo = '') => ({
      Response: { SendStatusSet: [{ Code, SerialNo, Message: '' }] },
    });
    expect(mapTencentAnswer(200, status('Ok', 'sn'))).toEqual({ outcome: 'sent', providerMessageId: 'sn' });
    expect(mapTencentAnswer(200, status('LimitExceeded.PhoneNumberDailyLimit'))).toMatchObject({
      outcome: 'not_sent',
      retryable: true,
    });
    expect(mapTencentAnswer(200, { Response: { Error: { Code: 'RequestLimitExceeded' } } })).toMatchObject({
      outcome: 'not_sent',
      retryable: true,
    });
    expect(mapTencentAnswer(200, status('FailedOperation.PhoneNumberInBlacklist'))).toMatchObject({
      outcome: 'rejected',
    });
    expect(mapTencentAnswer(200, status('FailedOperation.InsufficientBalanceInSmsPackage'))).toMatchObject({
      outcome: 'not_sent',
      retryable: false,
    });
    expect(mapTencentAnswer(200, { Response: { Error: { Code: 'InternalError.Timeout' } } })).toMatchObject({
      outcome: 'unknown',
    });
    expect(mapTencentAnswer(502, {})).toMatchObject({ outcome: 'unknown' });
  });

  it('vendor callbacks: 401 without a key or with a wrong one, 403 for a role that may not ingest, 400 naming the field', async () => {
    const one = [{ user_receive_time: '2026-11-12 12:00:09', mobile: '1', report_status: 'SUCCESS', sid: 'x' }];
    expect((await api.call('POST', '/api/sms/receipts/tencent', { role: null, body: one })).status).toBe(401);
    expect((await api.call('POST', '/api/sms/receipts/tencent?key=hk_wrong', { role: null, body: one })).status).toBe(
      401,
    );
    expect(
      (await api.call('POST', `/api/sms/receipts/tencent?key=${api.keys.viewer}`, { role: null, body: one })).status,
    ).toBe(403);
    // Only vendor callbacks take the key from the URL.
    expect((await api.call('GET', `/api/journeys?key=${api.keys.admin}`, { role: null })).status).toBe(401);
    const bad = await api.call('POST', `/api/sms/receipts/aliyun?key=${api.keys.engineer}`, {
      role: null,
      body: [{ phone_number: '1', report_time: '2026/11/12', success: true, biz_id: 'b' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toEqual(['body', 0, 'report_time']);
  });
});
