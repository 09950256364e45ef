import { ApplicationFailure } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../engine/src/db/connect.ts';
import type { CohortRef } from '../../../activities/src/contract.ts';
import type { SmsProvider } from '../../../activities/src/side-effects/index.ts';
import {
  SMS_FAILURE,
  aliyunSmsProvider,
  closeUnconfirmed,
  createSideEffectActivities,
  httpSmsProvider,
  mapAliyunAnswer,
  recordDeliveryReceipts,
} from '../../../activities/src/side-effects/index.ts';
import { insertCustomers, insertRun } from '../db/fixtures.ts';
import { describeEngine, openTestDatabase } from '../db/test-database.ts';
import type { Peer } from './helpers.ts';
import { json, never, nodeCall, shanghai, startPeer } from './helpers.ts';

const NOON = shanghai('2026-11-12T12:00:00');
type Sent = { key: string; to: string };

describe(`SMS providers against a real HTTP peer (${describeEngine('configured')})`, () => {
  let db: Database;
  let ref: CohortRef;
  const peers: Peer[] = [];
  const peer = async (handle: Parameters<typeof startPeer>[0]) => {
    const p = await startPeer(handle);
    peers.push(p);
    return p;
  };
  const send = (provider: SmsProvider, nodeId: string) =>
    createSideEffectActivities({ pool: db.pool, provider, now: never, batchSize: 2 }).sendSms(
      nodeCall('action.sms', { smsClass: 'notification', template: '订单已发货' }, { ref, nodeId, now: NOON }),
    );
  const statuses = async (nodeId: string) =>
    (
      await db.pool.query<{ status: string }>('SELECT status FROM messages WHERE node_id = $1 ORDER BY customer_id', [
        nodeId,
      ])
    ).rows.map((r) => r.status);
  const failureOf = async (p: Promise<unknown>) => {
    const error = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApplicationFailure);
    return error as ApplicationFailure;
  };

  beforeAll(async () => {
    db = await openTestDatabase();
    await insertCustomers(db.pool, [1, 2, 3, 4, 5]);
    const runId = await insertRun(
      db.pool,
      [1, 2, 3, 4, 5].map((customerId) => ({ customerId, shard: 0, holdout: customerId === 5 })),
    );
    ref = { runId, shard: 0, cohort: 'root' };
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await db?.close();
  });

  it('HTTP gateway: per-message results, idempotency key header, rejected numbers recorded as failed', async () => {
    const gw = await peer((body, _i, res) => {
      const messages = (body as { messages: Sent[] }).messages;
      json(res, 200, {
        results: messages.map((m) =>
          m.to.endsWith('03')
            ? { key: m.key, status: 'rejected', code: 'bad_number' }
            : { key: m.key, status: 'sent', id: `gw-${m.to}` },
        ),
      });
    });
    const result = await send(httpSmsProvider({ url: gw.url }), 'http-ok');
    expect(result).toMatchObject({ treatment: 4, holdout: 1, done: 3, skipped: { provider_rejected: 1 } });
    expect(gw.requests).toHaveLength(2); // batches of 2
    expect(gw.requests[0].headers['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
    expect(await statuses('http-ok')).toEqual(['sent', 'sent', 'failed', 'sent']);
  });

  it('a timeout leaves rows pending; the retry marks them unknown and never sends them again; a receipt settles them', async () => {
    let slow = true;
    const gw = await peer(async (body, _i, res) => {
      const messages = (body as { messages: Sent[] }).messages;
      if (slow) await new Promise((r) => setTimeout(r, 400)); // longer than the client's timeout
      if (!res.destroyed)
        json(res, 200, { results: messages.map((m) => ({ key: m.key, status: 'sent', id: `gw-${m.to}` })) });
    });
    const provider = httpSmsProvider({ url: gw.url, timeoutMs: 150 });
    const failure = await failureOf(send(provider, 'http-timeout'));
    expect(failure.type).toBe(SMS_FAILURE.unknown);
    expect(failure.nonRetryable).toBe(false);
    expect(await statuses('http-timeout')).toEqual(['pending', 'pending']); // first batch only: it stopped there
    slow = false;
    const retry = await send(provider, 'http-timeout');
    expect(retry).toMatchObject({ done: 2, alreadyDone: 0, skipped: { unknown_outcome: 2 } });
    // Every customer reached the gateway exactly once.
    const keys = gw.requests.flatMap((r) => (r.body as { messages: Sent[] }).messages.map((m) => m.to));
    expect(keys.sort()).toEqual(['+8619000000001', '+8619000000002', '+8619000000003', '+8619000000004']);
    expect(await statuses('http-timeout')).toEqual(['unknown', 'unknown', 'sent', 'sent']);

    const { rows } = await db.pool.query<{ message_key: string }>(
      `SELECT message_key FROM messages WHERE node_id = 'http-timeout' AND status = 'unknown' ORDER BY customer_id`,
    );
    const changed = await recordDeliveryReceipts(db.pool, [
      {
        provider: 'http',
        messageKey: rows[0].message_key,
        status: 'delivered',
        billedSegments: 1,
        at: new Date(NOON + 60_000),
      },
    ]);
    expect(changed).toBe(1);
    expect(await statuses('http-timeout')).toEqual(['delivered', 'unknown', 'sent', 'sent']);
    // Never confirmed within the receipt window: closed as failed, still not re-sent.
    expect(await closeUnconfirmed(db.pool, new Date('2100-01-01T00:00:00Z'))).toBe(1);
    expect(await statuses('http-timeout')).toEqual(['delivered', 'failed', 'sent', 'sent']);
  });

  it('429 releases the reservations (nothing was sent) and fails retryably; the retry sends everything once', async () => {
    const gw = await peer((body, i, res) => {
      if (i === 0) return json(res, 429, { error: 'slow down' }, { 'retry-after': '2' });
      json(res, 200, {
        results: (body as { messages: Sent[] }).messages.map((m) => ({
          key: m.key,
          status: 'sent',
          id: `gw-${m.key}`,
        })),
      });
    });
    const provider = httpSmsProvider({ url: gw.url });
    const failure = await failureOf(send(provider, 'http-429'));
    expect(failure.type).toBe(SMS_FAILURE.throttled);
    expect(failure.nextRetryDelay).toBe(2000);
    expect(await statuses('http-429')).toEqual([]);
    expect(await send(provider, 'http-429')).toMatchObject({ done: 4, alreadyDone: 0 });
  });

  it('401 is a configuration error: non-retryable, nothing left reserved', async () => {
    const gw = await peer((_b, _i, res) => json(res, 401, { error: 'bad credentials' }));
    const failure = await failureOf(send(httpSmsProvider({ url: gw.url }), 'http-401'));
    expect(failure.type).toBe(SMS_FAILURE.config);
    expect(failure.nonRetryable).toBe(true);
    expect(await statuses('http-401')).toEqual([]);
  });

  it('Aliyun-style: OutId is the message key, the signature goes in SignName, per-number errors are rejections', async () => {
    const gw = await peer((body, _i, res) => {
      const b = body as { PhoneNumbers: string; OutId: string; SignName: string; TemplateParam: string };
      if (b.PhoneNumbers.endsWith('02'))
        return json(res, 200, { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: 'invalid number' });
      json(res, 200, { Code: 'OK', BizId: `biz-${b.PhoneNumbers}`, RequestId: 'r' });
    });
    const result = await send(aliyunSmsProvider({ endpoint: gw.url, templateCode: 'SMS_1' }), 'ali-ok');
    expect(result).toMatchObject({ done: 3, skipped: { provider_rejected: 1 } });
    const first = gw.requests[0].body as {
      PhoneNumbers: string;
      OutId: string;
      SignName: string;
      TemplateParam: string;
    };
    expect(first).toMatchObject({
      PhoneNumbers: '19000000001',
      SignName: '回头小店',
      TemplateParam: JSON.stringify({ content: '订单已发货' }),
    });
    expect(first.OutId).toBe(`${ref.runId}/s:0/ali-ok//1`);
    const ids = await db.pool.query<{ provider_message_id: string | null }>(
      `SELECT provider_message_id FROM messages WHERE node_id = 'ali-ok' ORDER BY customer_id`,
    );
    expect(ids.rows.map((r) => r.provider_message_id)).toEqual([
      'biz-19000000001',
      null,
      'biz-19000000003',
      'biz-19000000004',
    ]);
    // Receipts by BizId.
    expect(
      await recordDeliveryReceipts(db.pool, [
        {
          provider: 'aliyun',
          providerMessageId: 'biz-19000000003',
          status: 'failed',
          at: new Date(NOON),
          errorCode: 'MK:0001',
        },
      ]),
    ).toBe(1);
    expect(await statuses('ali-ok')).toEqual(['sent', 'failed', 'undelivered', 'sent']);
  });

  it('Aliyun-style: a balance error surfaces as non-retryable and stops the batch; throttling is retryable', async () => {
    const broke = await peer((_b, _i, res) => json(res, 200, { Code: 'isv.AMOUNT_NOT_ENOUGH', Message: 'balance' }));
    const failure = await failureOf(
      send(aliyunSmsProvider({ endpoint: broke.url, templateCode: 'SMS_1', concurrency: 1 }), 'ali-broke'),
    );
    expect([failure.type, failure.nonRetryable]).toEqual([SMS_FAILURE.config, true]);
    expect(broke.requests).toHaveLength(1); // the second message of the batch was not attempted
    expect(await statuses('ali-broke')).toEqual([]);

    const busy = await peer((_b, _i, res) => json(res, 200, { Code: 'Throttling.User', Message: 'flow control' }));
    const throttled = await failureOf(
      send(aliyunSmsProvider({ endpoint: busy.url, templateCode: 'SMS_1' }), 'ali-busy'),
    );
    expect([throttled.type, throttled.nonRetryable]).toEqual([SMS_FAILURE.throttled, false]);
    expect(await statuses('ali-busy')).toEqual([]);
  });

  it('maps Aliyun answers', () => {
    expect(mapAliyunAnswer(200, { Code: 'OK', BizId: 'b' })).toEqual({ outcome: 'sent', providerMessageId: 'b' });
    expect(mapAliyunAnswer(200, { Code: 'isv.BUSINESS_LIMIT_CONTROL' })).toMatchObject({
      outcome: 'not_sent',
      retryable: true,
    });
    expect(mapAliyunAnswer(200, { Code: 'isv.SMS_SIGNATURE_ILLEGAL' })).toMatchObject({
      outcome: 'not_sent',
      retryable: false,
    });
    expect(mapAliyunAnswer(200, { Code: 'isv.SMS_TEMPLATE_ILLEGAL' })).toMatchObject({
      outcome: 'not_sent',
      retryable: false,
    });
    expect(mapAliyunAnswer(200, { Code: 'isv.BLACK_KEY_CONTROL_LIMIT' })).toMatchObject({ outcome: 'rejected' });
    expect(mapAliyunAnswer(502, {})).toMatchObject({ outcome: 'unknown' });
  });
});
