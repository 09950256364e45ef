// The Taobao/Tmall item report (宝贝报表): one row per item of an order, the product by merchant
// code (商家编码) or, without one, by title. 商品属性 (colour, size) and columns this does not read
// are ignored; 订单状态, when there, must be a Taobao status.
import { z } from 'zod';
import { text } from './cells.ts';
import type { ForeignFormat } from './import-kind.ts';
import type { ItemRow } from './item-row.ts';
import { prices, skuOf } from './item-row.ts';
import { count, taobaoStatus, tbFilled, tbMoney, tbOptional } from './taobao-cells.ts';

const Cells = z.object({
  订单编号: tbFilled(text(200)),
  标题: tbFilled(text(500)),
  价格: tbFilled(tbMoney),
  购买数量: tbFilled(count),
  商家编码: tbOptional(text(200)),
  订单状态: tbOptional(taobaoStatus),
});

const Report = Cells.transform((r): ItemRow => ({
  order_external_id: r.订单编号,
  line_no: null,
  sku: skuOf(r.商家编码, r.标题) as string,
  title: r.标题,
  quantity: r.购买数量,
  ...prices(r.购买数量, r.价格, null),
}));

export const taobaoItemReport: ForeignFormat<ItemRow> = {
  name: 'taobao',
  signature: ['订单编号', '标题'],
  columns: Object.keys(Cells.shape),
  required: ['订单编号', '标题', '价格', '购买数量'],
  row: Report,
  fills: () => new Set(['order_external_id', 'sku', 'title', 'quantity', 'unit_price', 'amount']),
  columnOf: { order_external_id: '订单编号' },
};
