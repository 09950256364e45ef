import type { LocalizedText } from './i18n.ts';
import { text } from './i18n.ts';

/**
 * The closed catalogue of customer attributes a segment may filter on. The data layer maps each id
 * to one column or expression; nothing outside this list can reach SQL. Money is in yuan (CNY).
 */
export type FieldType = 'number' | 'date' | 'text' | 'boolean' | 'gender' | 'birthday';

interface FieldDef {
  readonly type: FieldType;
  readonly label: LocalizedText;
}

export const customerFields = {
  // basic
  nickname: { type: 'text', label: text('昵称', 'Nickname') },
  name: { type: 'text', label: text('姓名', 'Name') },
  gender: { type: 'gender', label: text('性别', 'Gender') },
  province: { type: 'text', label: text('省份', 'Province') },
  city: { type: 'text', label: text('城市', 'City') },
  birthday: { type: 'birthday', label: text('生日', 'Birthday') },
  has_phone: { type: 'boolean', label: text('有手机号', 'Has phone number') },
  has_email: { type: 'boolean', label: text('有邮箱', 'Has email') },
  registered_at: { type: 'date', label: text('注册时间', 'Registered at') },
  // purchase
  order_count: { type: 'number', label: text('购买次数', 'Number of orders') },
  total_spend: { type: 'number', label: text('累计消费金额', 'Total spend') },
  avg_order_value: { type: 'number', label: text('平均客单价', 'Average order value') },
  first_purchase_at: { type: 'date', label: text('首次购买时间', 'First purchase at') },
  last_purchase_at: { type: 'date', label: text('最近购买时间', 'Last purchase at') },
  first_purchase_amount: { type: 'number', label: text('首次购买金额', 'First purchase amount') },
  last_purchase_amount: { type: 'number', label: text('最近购买金额', 'Last purchase amount') },
  first_paid_at: { type: 'date', label: text('首次付款时间', 'First payment at') },
  last_paid_at: { type: 'date', label: text('最近付款时间', 'Last payment at') },
  days_since_last_purchase: { type: 'number', label: text('距最近购买天数', 'Days since last purchase') },
  // marketing
  times_marketed: { type: 'number', label: text('营销次数', 'Times marketed') },
  times_responded: { type: 'number', label: text('响应次数', 'Times responded') },
  response_rate: { type: 'number', label: text('响应率', 'Response rate (0-1)') },
  last_marketed_at: { type: 'date', label: text('最近营销时间', 'Last marketed at') },
  credit: { type: 'number', label: text('信用等级', 'Credit score') },
} as const satisfies Record<string, FieldDef>;

export type CustomerFieldId = keyof typeof customerFields;

type FieldsOfType<T extends FieldType> = {
  [K in CustomerFieldId]: (typeof customerFields)[K]['type'] extends T ? K : never;
}[CustomerFieldId];

export type NumberFieldId = FieldsOfType<'number'>;
export type DateFieldId = FieldsOfType<'date'>;
export type TextFieldId = FieldsOfType<'text'>;
export type BooleanFieldId = FieldsOfType<'boolean'>;

function idsOfType<T extends FieldType>(type: T): [FieldsOfType<T>, ...FieldsOfType<T>[]] {
  const ids = (Object.keys(customerFields) as CustomerFieldId[]).filter((id) => customerFields[id].type === type);
  return ids as [FieldsOfType<T>, ...FieldsOfType<T>[]];
}

export const numberFieldIds = idsOfType('number');
export const dateFieldIds = idsOfType('date');
export const textFieldIds = idsOfType('text');
export const booleanFieldIds = idsOfType('boolean');
