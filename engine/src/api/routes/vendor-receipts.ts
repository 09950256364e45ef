// Delivery receipts as the SMS vendors push them (their own layouts, the key in the URL because
// their consoles take only a URL), and the one place receipts reach the ledger.
import type { DeliveryReceipt } from '@huitou/activities/side-effects';
import { recordDeliveryReceipts } from '@huitou/activities/side-effects';
import {
  AliyunReceiptsBody,
  AliyunReceiptsResult,
  TencentReceiptsBody,
  TencentReceiptsResult,
} from '@huitou/schemas/http';
import type pg from 'pg';
import { audit } from '../../audit.ts';
import { withTransaction } from '../../db/transaction.ts';
import type { Principal } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { route } from '../route.ts';
import type { Route } from '../route.ts';

/** Applies receipts to the ledger with an audit entry, in one transaction; answers how many rows changed. */
export function storeReceipts(
  deps: ApiDeps,
  principal: Principal,
  receipts: readonly DeliveryReceipt[],
): Promise<number> {
  return withTransaction(deps.pool, async (db) => {
    const n = await recordDeliveryReceipts(db as unknown as pg.Pool, receipts);
    await audit(db, principal, 'sms.receipts', { type: 'message' }, { received: receipts.length, updated: n });
    return n;
  });
}

export const vendorReceiptRoutes: Route[] = [
  route({
    method: 'post',
    path: '/api/sms/receipts/aliyun',
    summary: "Aliyun's SMS receipt push (SmsReport) as Aliyun sends it; the key may be given as ?key=",
    tag: 'data in',
    permission: 'events.ingest',
    keyInQuery: true,
    body: AliyunReceiptsBody,
    response: AliyunReceiptsResult,
    handler: async ({ deps, body, principal }) => {
      const updated = await storeReceipts(
        deps,
        principal,
        body.map((r) => ({
          provider: 'aliyun',
          providerMessageId: r.biz_id,
          messageKey: r.out_id,
          status: r.success ? 'delivered' : 'failed',
          billedSegments: r.success ? r.sms_size : 0,
          at: r.report_time,
          errorCode: r.success ? undefined : r.err_code,
        })),
      );
      return { code: 0 as const, msg: '成功', updated };
    },
  }),
  route({
    method: 'post',
    path: '/api/sms/receipts/tencent',
    summary: 'Tencent Cloud SMS status callback as Tencent sends it; the key may be given as ?key=',
    tag: 'data in',
    permission: 'events.ingest',
    keyInQuery: true,
    body: TencentReceiptsBody,
    response: TencentReceiptsResult,
    handler: async ({ deps, body, principal }) => {
      const updated = await storeReceipts(
        deps,
        principal,
        body.map((r) => ({
          provider: 'tencent',
          providerMessageId: r.sid,
          status: r.report_status === 'SUCCESS' ? 'delivered' : 'failed',
          at: r.user_receive_time,
          errorCode: r.report_status === 'SUCCESS' ? undefined : r.errmsg,
        })),
      );
      return { result: 0 as const, errmsg: 'OK', updated };
    },
  }),
];
