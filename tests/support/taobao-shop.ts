// A Taobao/Tmall shop's exports, generated from a seed: the order report (订单报表) and the item
// report (宝贝报表) as the seller centre writes them (GBK, Chinese headers, extra columns, numbers
// guarded as ="…" or with a tab, Beijing times, masked phones), and the shop's own categories and
// products (our products CSV). Each buyer's orders come from their own PRNG, so the files can be
// streamed buyer by buyer (the benchmark's 1M orders) and give the same rows every time; `facts`
// reads them once and counts what an import must find.
import { Prng } from '../../engine/src/demo/prng.ts';
import { encodeGbk } from './gbk.ts';

export const SHOP_CATEGORIES = [
  { key: 'skincare', name: '护肤' },
  { key: 'makeup', name: '彩妆' },
  { key: 'fragrance', name: '香水' },
  { key: 'body_care', name: '身体护理' },
] as const;

export interface ShopProduct {
  sku: string;
  name: string;
  category: (typeof SHOP_CATEGORIES)[number]['key'];
  role: 'traffic' | 'profit' | 'edge' | 'potential';
  price: string;
  shortName: string;
}

export const SHOP_PRODUCTS: readonly ShopProduct[] = [
  {
    sku: 'SK-001',
    name: '玻尿酸补水精华液 30ml',
    category: 'skincare',
    role: 'profit',
    price: '299.00',
    shortName: '补水精华',
  },
  {
    sku: 'SK-002',
    name: '氨基酸洁面乳 120g',
    category: 'skincare',
    role: 'traffic',
    price: '59.00',
    shortName: '洁面乳',
  },
  {
    sku: 'SK-003',
    name: '烟酰胺美白面霜 50g',
    category: 'skincare',
    role: 'profit',
    price: '369.00',
    shortName: '美白面霜',
  },
  {
    sku: 'MK-001',
    name: '丝绒哑光口红 #01',
    category: 'makeup',
    role: 'traffic',
    price: '89.00',
    shortName: '丝绒口红',
  },
  { sku: 'MK-002', name: '持妆粉底液 30ml', category: 'makeup', role: 'profit', price: '239.00', shortName: '粉底液' },
  { sku: 'MK-003', name: '四色眼影盘', category: 'makeup', role: 'edge', price: '129.00', shortName: '眼影盘' },
  {
    sku: 'FR-001',
    name: '白茶淡香水 50ml',
    category: 'fragrance',
    role: 'profit',
    price: '459.00',
    shortName: '白茶香水',
  },
  {
    sku: 'FR-002',
    name: '香水小样套装',
    category: 'fragrance',
    role: 'potential',
    price: '99.00',
    shortName: '香水小样',
  },
  {
    sku: 'BC-001',
    name: '樱花身体乳 250ml',
    category: 'body_care',
    role: 'traffic',
    price: '69.00',
    shortName: '身体乳',
  },
  { sku: 'BC-002', name: '磨砂沐浴露 500ml', category: 'body_care', role: 'edge', price: '79.00', shortName: '沐浴露' },
];

/** Items the catalogue lacks: codes it does not know, and titles without a code. */
const UNKNOWN_CODES = ['NEW-101', 'NEW-102', 'NEW-103'];
const UNCODED_TITLES = ['赠品 化妆棉 50片', '限定礼盒 香氛蜡烛'];

export const ORDER_REPORT_HEADER = [
  '订单编号',
  '买家会员名',
  '买家支付宝账号',
  '买家应付货款',
  '买家实际支付金额',
  '订单状态',
  '买家留言',
  '收货人姓名',
  '收货地址 ',
  '运送方式',
  '联系电话 ',
  '联系手机',
  '订单创建时间',
  '订单付款时间 ',
  '宝贝标题 ',
  '宝贝种类',
  '物流单号 ',
  '物流公司',
  '订单备注',
  '宝贝总数量',
  '店铺名称',
  '退款金额',
];
export const ITEM_REPORT_HEADER = [
  '订单编号',
  '标题',
  '价格',
  '购买数量',
  '外部系统编号',
  '商品属性',
  '套餐信息',
  '备注',
  '订单状态',
  '商家编码',
];

const ADDRESSES = [
  ['浙江省', '杭州市', '西湖区'],
  ['广东省', '深圳市', '南山区'],
  ['上海', '上海市', '浦东新区'],
  ['江苏省', '南京市', '鼓楼区'],
  ['四川省', '成都市', '武侯区'],
  ['广西壮族自治区', '南宁市', '青秀区'],
] as const;

export type TaobaoStatus =
  '等待买家付款' | '买家已付款，等待卖家发货' | '卖家已发货，等待买家确认' | '交易成功' | '交易关闭';

export interface FixtureItem {
  code: string;
  title: string;
  price: string;
  quantity: number;
}

export interface FixtureOrder {
  id: string;
  buyer: string;
  status: TaobaoStatus;
  /** Closed after payment with money back: our status refunded. */
  refund: string;
  createdAt: string;
  paidAt: string | null;
  amount: string;
  province: string;
  city: string;
  items: FixtureItem[];
}

export interface FixtureBuyer {
  index: number;
  nick: string;
  /** 13800001234, 138****1234 or '' */
  phone: string;
  orders: FixtureOrder[];
}

/** Buyers with a 2026-11-11 paid order of 299 yuan or more: every fifth. */
export const isElevenElevenBuyer = (index: number) => index % 5 === 0;
/** Of those, every other comes back on 2026-11-25 (a second completed order). */
export const comesBackOn = (index: number) => (index % 10 === 0 ? '2026-11-25' : null);
/** Of those, new customers (nothing bought before 11.11: the audience): every 10th, and every 20th from 5. */
export const isNewOnElevenEleven = (index: number) => index % 10 === 0 || index % 20 === 5;
/** Every seventh buyer's phone is masked (138****1234); every 50th has none. */
const phoneOf = (index: number) => {
  const digits = String(index).padStart(4, '0').slice(-4);
  if (index % 50 === 17) return '';
  return index % 7 === 3 ? `138****${digits}` : `138${String(index).padStart(8, '0')}`;
};

const pad = (n: number) => String(n).padStart(2, '0');
const time = (day: string, minutes: number) =>
  `${day} ${pad(Math.floor(minutes / 60) % 24)}:${pad(minutes % 60)}:${pad((minutes * 7) % 60)}`;
const money = (cents: number) => (cents / 100).toFixed(2);

/** One buyer's orders, from their own PRNG (the seed and their index). */
export function buyer(seed: number, index: number): FixtureBuyer {
  const rng = new Prng((seed * 2654435761 + index * 40503) >>> 0);
  const nick = index % 3 === 0 ? `tb_${index}` : `买家${index}号`;
  const [province, city] = rng.pick(ADDRESSES);
  const orders: FixtureOrder[] = [];
  const order = (day: string, status: TaobaoStatus, minItems: number, minCents: number, refund = '') => {
    const items: FixtureItem[] = [];
    const count = rng.int(minItems, 3);
    for (let k = 0; k < count; k++) {
      const roll = rng.int(0, 39);
      if (roll === 0) items.push({ code: rng.pick(UNKNOWN_CODES), title: '新品 试用装', price: '19.90', quantity: 1 });
      else if (roll === 1) items.push({ code: '', title: rng.pick(UNCODED_TITLES), price: '0.00', quantity: 1 });
      else {
        const p = rng.pick(SHOP_PRODUCTS);
        items.push({ code: p.sku, title: p.name, price: p.price, quantity: rng.int(1, 2) });
      }
    }
    let cents = items.reduce((sum, i) => sum + Math.round(Number(i.price) * 100) * i.quantity, 0);
    if (cents < minCents) {
      items.push({ code: 'SK-003', title: '烟酰胺美白面霜 50g', price: '369.00', quantity: 1 });
      cents += 36900;
    }
    const minutes = rng.int(0, 24 * 60 - 10);
    const paid = status !== '等待买家付款' && !(status === '交易关闭' && !refund);
    orders.push({
      id: `${3_900_000_000_000 + index * 10 + orders.length}`,
      buyer: nick,
      status,
      refund,
      createdAt: time(day, minutes),
      paidAt: paid ? time(day, minutes + 3) : null,
      amount: money(cents),
      province,
      city,
      items,
    });
  };
  const regular = isNewOnElevenEleven(index) ? 0 : rng.int(1, 2);
  for (let k = 0; k < regular; k++) {
    const day = `2026-${pad(rng.int(8, 10))}-${pad(rng.int(1, 28))}`;
    const roll = rng.int(0, 19);
    if (roll === 0) order(day, '等待买家付款', 1, 0);
    else if (roll === 1) order(day, '交易关闭', 1, 0);
    else if (roll === 2) order(day, '交易关闭', 1, 0, '59.00');
    else if (roll === 3) order(day, '买家已付款，等待卖家发货', 1, 0);
    else if (roll === 4) order(day, '卖家已发货，等待买家确认', 1, 0);
    else order(day, '交易成功', 1, 0);
  }
  if (isElevenElevenBuyer(index)) order('2026-11-11', '交易成功', 1, 29900);
  const back = comesBackOn(index);
  if (back) order(back, '交易成功', 1, 0);
  return { index, nick, phone: phoneOf(index), orders };
}

export function* buyers(seed: number, count: number): Generator<FixtureBuyer> {
  for (let i = 1; i <= count; i++) yield buyer(seed, i);
}

const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
const line = (cells: readonly string[]) => `${cells.map(quote).join(',')}\r\n`;

/** The order report's rows of one buyer (order numbers guarded as ="…", some amounts with a tab). */
export function orderReportLines(b: FixtureBuyer): string {
  return b.orders
    .map((o, k) => {
      const quantity = o.items.reduce((sum, i) => sum + i.quantity, 0);
      return line([
        `="${o.id}"`,
        o.buyer,
        '',
        o.amount,
        k % 2 === 0 ? o.amount : `${o.amount}\t`,
        o.status,
        k === 0 && b.index % 11 === 0 ? '请尽快发货, 谢谢 "急"' : '',
        `收货人${b.index}`,
        `${o.province} ${o.city} 某区 文三路${b.index}号(310000)`,
        '快递',
        '',
        b.phone ? `'${b.phone}` : '',
        o.createdAt,
        o.paidAt ?? '',
        o.items.map((i) => i.title).join('，'),
        String(o.items.length),
        o.status === '卖家已发货，等待买家确认' || o.status === '交易成功' ? `="SF${o.id}"` : '',
        o.status === '卖家已发货，等待买家确认' || o.status === '交易成功' ? '顺丰速运' : '',
        '',
        String(quantity),
        '回头美妆旗舰店',
        o.refund || '0.00',
      ]);
    })
    .join('');
}

export function itemReportLines(b: FixtureBuyer): string {
  return b.orders
    .flatMap((o) =>
      o.items.map((i) =>
        line([`="${o.id}"`, i.title, i.price, String(i.quantity), '', '颜色分类:默认', '', '', o.status, i.code]),
      ),
    )
    .join('');
}

/** The shop's own products as our products CSV (sku,name,category,role,price,short_name). */
export function productsCsv(): string {
  return (
    'sku,name,category,role,price,short_name\n' +
    SHOP_PRODUCTS.map((p) => line([p.sku, p.name, p.category, p.role, p.price, p.shortName])).join('')
  );
}

export interface TaobaoShop {
  orderReport: Buffer;
  itemReport: Buffer;
  buyers: FixtureBuyer[];
  facts: {
    buyers: number;
    orders: number;
    items: number;
    /** Buyers whose phone is masked. */
    maskedPhones: number;
    byStatus: Record<string, number>;
    /** Products the item report names that the catalogue lacks. */
    newProducts: string[];
    elevenElevenBuyers: string[];
    /** 11.11 buyers with no order before it. */
    newElevenElevenBuyers: string[];
    returners: { buyer: string; on: string }[];
  };
}

/** The whole shop in memory (tests): ~2,000 buyers by default. */
export function taobaoShop(seed = 15, count = 2000): TaobaoShop {
  const all = [...buyers(seed, count)];
  const orders = all.flatMap((b) => b.orders);
  const byStatus: Record<string, number> = {};
  for (const o of orders) {
    const ours = {
      等待买家付款: 'created',
      '买家已付款，等待卖家发货': 'paid',
      '卖家已发货，等待买家确认': 'shipped',
      交易成功: 'completed',
      交易关闭: o.refund ? 'refunded' : 'closed',
    }[o.status];
    byStatus[ours] = (byStatus[ours] ?? 0) + 1;
  }
  const codes = new Set(orders.flatMap((o) => o.items.map((i) => i.code || `title ${i.title}`)));
  return {
    orderReport: encodeGbk(line(ORDER_REPORT_HEADER) + all.map(orderReportLines).join('')),
    itemReport: encodeGbk(line(ITEM_REPORT_HEADER) + all.map(itemReportLines).join('')),
    buyers: all,
    facts: {
      buyers: all.length,
      orders: orders.length,
      items: orders.reduce((sum, o) => sum + o.items.length, 0),
      maskedPhones: all.filter((b) => b.phone.includes('*')).length,
      byStatus,
      newProducts: [...codes].filter((c) => !SHOP_PRODUCTS.some((p) => p.sku === c)).sort(),
      elevenElevenBuyers: all.filter((b) => isElevenElevenBuyer(b.index)).map((b) => b.nick),
      newElevenElevenBuyers: all.filter((b) => isNewOnElevenEleven(b.index)).map((b) => b.nick),
      returners: all.flatMap((b) => {
        const on = comesBackOn(b.index);
        return on ? [{ buyer: b.nick, on }] : [];
      }),
    },
  };
}
