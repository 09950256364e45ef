import type { LocalizedText } from '../i18n.ts';
import { text } from '../i18n.ts';

/**
 * What a template variable needs upstream: nothing, a coupon issued earlier on every path to the
 * SMS, or the order that triggered an event journey.
 */
export type VariableSource = 'customer' | 'shop' | 'coupon' | 'trigger_order';

interface VariableDef {
  readonly label: LocalizedText;
  readonly source: VariableSource;
  /** Typical value, used to preview and count a message while the marketer types. */
  readonly sample: string;
}

export const templateVariables = {
  nickname: { label: text('昵称', 'Nickname'), source: 'customer', sample: '小美' },
  name: { label: text('姓名', 'Name'), source: 'customer', sample: '王小美' },
  item: { label: text('购买商品', 'Purchased item'), source: 'customer', sample: '婴儿奶粉3罐装' },
  shop: { label: text('店铺名', 'Shop name'), source: 'shop', sample: '回头小店' },
  link: { label: text('短链接', 'Short link'), source: 'shop', sample: 'ht.cn/a8Kd2' },
  'coupon.amount': { label: text('优惠券面额', 'Coupon amount'), source: 'coupon', sample: '20' },
  /** The same face value under the name coupon tools use. */
  'coupon.value': { label: text('优惠券面值', 'Coupon value'), source: 'coupon', sample: '20' },
  /** The code the buyer types at checkout (or the platform's code from an imported pool). */
  'coupon.code': { label: text('优惠券码', 'Coupon code'), source: 'coupon', sample: 'HT0K3F9Q2M7XZ1' },
  'coupon.threshold': { label: text('优惠券门槛', 'Coupon minimum spend'), source: 'coupon', sample: '199' },
  'coupon.expires': { label: text('优惠券到期日', 'Coupon expiry date'), source: 'coupon', sample: '12月10日' },
  'order.id': { label: text('订单号', 'Order number'), source: 'trigger_order', sample: '4021117731852096' },
  'order.amount': { label: text('订单金额', 'Order amount'), source: 'trigger_order', sample: '299.00' },
  'order.item': { label: text('订单商品', 'Order item'), source: 'trigger_order', sample: '儿童羽绒服' },
  'order.tracking': { label: text('快递单号', 'Tracking number'), source: 'trigger_order', sample: 'SF1402871939' },
  'order.carrier': { label: text('快递公司', 'Carrier'), source: 'trigger_order', sample: '顺丰速运' },
} as const satisfies Record<string, VariableDef>;

export type TemplateVariable = keyof typeof templateVariables;

export function isTemplateVariable(name: string): name is TemplateVariable {
  return Object.prototype.hasOwnProperty.call(templateVariables, name);
}
