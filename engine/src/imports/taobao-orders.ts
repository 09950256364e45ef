// The Taobao/Tmall order report (订单报表) as the seller centre exports it: one row per order, the
// buyer by member name (买家会员名, created as a customer when new), the shipping address and
// phone, Chinese statuses and Beijing times. Columns this does not read are ignored.
import { z } from 'zod';
import type { ForeignFormat } from './import-kind.ts';
import { text } from './cells.ts';
import { PAID_STATUSES } from './order-statuses.ts';
import type { OrderRow } from './orders.ts';
import {
  beijingTime,
  count,
  splitAddress,
  taobaoStatus,
  tbFilled,
  tbMoney,
  tbOptional,
  tbPhone,
} from './taobao-cells.ts';

const Cells = z.object({
  订单编号: tbFilled(text(200)),
  买家会员名: tbFilled(text(200)),
  买家实际支付金额: tbFilled(tbMoney),
  订单状态: tbFilled(taobaoStatus),
  订单创建时间: tbFilled(beijingTime),
  订单付款时间: tbOptional(beijingTime),
  发货时间: tbOptional(beijingTime),
  确认收货时间: tbOptional(beijingTime),
  收货人姓名: tbOptional(text(200)),
  收货地址: tbOptional(text(500)),
  联系手机: tbOptional(tbPhone),
  物流公司: tbOptional(text(100)),
  物流单号: tbOptional(text(100)),
  宝贝种类: tbOptional(count),
  退款金额: tbOptional(tbMoney),
});

const Report = Cells.superRefine((r, ctx) => {
  if (PAID_STATUSES.includes(r.订单状态) && !r.订单付款时间)
    ctx.addIssue({ code: 'custom', path: ['订单付款时间'], message: 'a paid order needs its payment time' });
}).transform((r): OrderRow => {
  const refunded = r.订单状态 === 'closed' && !!r.订单付款时间 && Number(r.退款金额 ?? 0) > 0;
  const address = r.收货地址 ? splitAddress(r.收货地址) : { province: null, city: null };
  return {
    external_id: r.订单编号,
    customer_external_id: r.买家会员名,
    status: refunded ? 'refunded' : r.订单状态,
    amount: r.买家实际支付金额,
    discount: '0',
    channel: 'taobao',
    created_at: r.订单创建时间,
    paid_at: r.订单付款时间 ?? null,
    shipped_at: r.发货时间 ?? null,
    completed_at: r.确认收货时间 ?? null,
    closed_at: null,
    refunded_at: null,
    province: address.province,
    city: address.city,
    carrier: r.物流公司 ?? null,
    tracking_no: r.物流单号 ?? null,
    item_count: r.宝贝种类 ?? null,
    items: [],
    buyer: { nickname: r.买家会员名, name: r.收货人姓名 ?? null, phone: r.联系手机 ?? null },
  };
});

/** Header name → the order fields it fills (what a re-import of a report with it updates). */
const FILLS: Record<string, readonly (keyof OrderRow)[]> = {
  订单编号: ['external_id'],
  买家会员名: ['customer_external_id', 'channel'],
  买家实际支付金额: ['amount'],
  订单状态: ['status'],
  订单创建时间: ['created_at'],
  订单付款时间: ['paid_at'],
  发货时间: ['shipped_at'],
  确认收货时间: ['completed_at'],
  收货地址: ['province', 'city'],
  物流公司: ['carrier'],
  物流单号: ['tracking_no'],
  宝贝种类: ['item_count'],
};

export const taobaoOrderReport: ForeignFormat<OrderRow> = {
  name: 'taobao',
  signature: ['订单编号', '买家会员名'],
  columns: Object.keys(Cells.shape),
  required: ['订单编号', '买家会员名', '买家实际支付金额', '订单状态', '订单创建时间'],
  row: Report,
  fills: (present) => new Set([...present].flatMap((c) => FILLS[c] ?? [])),
  columnOf: { customer_external_id: '买家会员名' },
};
