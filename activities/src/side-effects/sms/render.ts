import type { TemplatePart } from '@huitou/schemas';
import { templateVariableNames } from '@huitou/schemas';
import type { Queryable } from '../members.ts';

/** What {item} prints of an order item i (product p): the short name, the product's name, the item's title. */
const ITEM_NAME = 'coalesce(p.short_name, p.name, i.title)';

export interface Recipient {
  customerId: number;
  phone: string | null;
  /** Template values for this customer (variables with no value are absent). */
  values: Record<string, string>;
}

/**
 * The template values of a batch of customers, in one query: customer fields, the item of their
 * latest purchase, the latest coupon this run issued them, the order that triggered the run, and the
 * journey's shop name (from the signature) and link.
 */
export async function loadRecipients(
  db: Queryable,
  input: {
    customerIds: number[];
    runId: string;
    triggerKey?: string;
    signature: string;
    link?: string;
    timeZone: string;
    parts: readonly TemplatePart[];
  },
): Promise<Map<number, Recipient>> {
  const needed = new Set(templateVariableNames(input.parts));
  const { rows } = await db.query<{
    id: string;
    phone: string | null;
    nickname: string;
    name: string | null;
    item: string | null;
    coupon_amount: string | null;
    coupon_code: string | null;
    coupon_threshold: string | null;
    coupon_expires: string | null;
  }>(
    `SELECT c.id, c.phone, c.nickname, c.name, li.item, cp.value AS coupon_amount, cp.code AS coupon_code, cp.min_spend AS coupon_threshold,
            to_char(cp.expires_at AT TIME ZONE $3::text, 'FMMM"月"FMDD"日"') AS coupon_expires
     FROM unnest($1::bigint[]) AS u(id)
     JOIN customers c ON c.id = u.id
     LEFT JOIN LATERAL (
       SELECT ${ITEM_NAME} AS item FROM orders o JOIN order_items i ON i.order_id = o.id LEFT JOIN products p ON p.id = i.product_id
       WHERE o.customer_id = c.id AND o.paid_at IS NOT NULL AND o.status <> 'refunded'
       ORDER BY o.paid_at DESC, i.line_no LIMIT 1) li ON $4::boolean
     LEFT JOIN LATERAL (
       SELECT value, code, min_spend, expires_at FROM coupons k WHERE k.customer_id = c.id AND k.run_id = $2::uuid
       ORDER BY k.issued_at DESC, k.id DESC LIMIT 1) cp ON $5::boolean`,
    [
      input.customerIds,
      input.runId,
      input.timeZone,
      needed.has('item'),
      [...needed].some((n) => n.startsWith('coupon.')),
    ],
  );
  const shared: Record<string, string> = {};
  const shop = /^【([^】]+)】$/.exec(input.signature)?.[1];
  if (shop) shared.shop = shop;
  if (input.link !== undefined) shared.link = input.link;
  const needsOrder = [...needed].some((n) => n.startsWith('order.'));
  if (input.triggerKey !== undefined && needsOrder) Object.assign(shared, await orderValues(db, input.triggerKey));
  // Triggered cohorts: each member's own triggering order.
  const ownOrders =
    input.triggerKey === undefined && needsOrder ? await memberOrderValues(db, input.runId, input.customerIds) : null;

  const out = new Map<number, Recipient>();
  for (const r of rows) {
    const values: Record<string, string> = { ...shared, ...ownOrders?.get(Number(r.id)), nickname: r.nickname };
    if (r.name) values.name = r.name;
    if (r.item) values.item = r.item;
    if (r.coupon_amount !== null) values['coupon.amount'] = values['coupon.value'] = money(r.coupon_amount);
    if (r.coupon_code !== null) values['coupon.code'] = r.coupon_code;
    if (r.coupon_threshold !== null) values['coupon.threshold'] = money(r.coupon_threshold);
    if (r.coupon_expires) values['coupon.expires'] = r.coupon_expires;
    out.set(Number(r.id), { customerId: Number(r.id), phone: r.phone, values });
  }
  return out;
}

const ORDER_COLUMNS = `o.id, o.external_id, o.amount, o.tracking_no, o.carrier,
  (SELECT ${ITEM_NAME} FROM order_items i LEFT JOIN products p ON p.id = i.product_id WHERE i.order_id = o.id ORDER BY i.line_no LIMIT 1) AS item`;

interface OrderRow {
  id: string;
  external_id: string | null;
  amount: string;
  item: string | null;
  tracking_no: string | null;
  carrier: string | null;
}

function orderRowValues(o: OrderRow): Record<string, string> {
  const values: Record<string, string> = {
    'order.id': o.external_id ?? o.id,
    'order.amount': Number(o.amount).toFixed(2),
  };
  if (o.item) values['order.item'] = o.item;
  if (o.tracking_no) values['order.tracking'] = o.tracking_no;
  if (o.carrier) values['order.carrier'] = o.carrier;
  return values;
}

/** Per member of a triggered cohort: the order values of its own triggering order (run_members). */
async function memberOrderValues(
  db: Queryable,
  runId: string,
  customerIds: number[],
): Promise<Map<number, Record<string, string>>> {
  const { rows } = await db.query<OrderRow & { customer_id: string }>(
    `SELECT m.customer_id, ${ORDER_COLUMNS}
     FROM run_members m JOIN orders o ON o.id = m.trigger_order_id
     WHERE m.run_id = $1::uuid AND m.customer_id = ANY($2::bigint[])`,
    [runId, customerIds],
  );
  return new Map(rows.map((r) => [Number(r.customer_id), orderRowValues(r)]));
}

/**
 * The trigger order, by marketplace order number or internal id. Triggered runs key on
 * `order:<id>` (see triggerKeyOf in workflows/src/api.ts); a `customer:` key names no order.
 */
async function orderValues(db: Queryable, triggerKey: string): Promise<Record<string, string>> {
  if (triggerKey.startsWith('customer:')) return {};
  const key = triggerKey.startsWith('order:') ? triggerKey.slice('order:'.length) : triggerKey;
  const { rows } = await db.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS}
     FROM orders o WHERE o.external_id = $1 OR (o.id::text = $1) ORDER BY (o.external_id = $1) DESC NULLS LAST LIMIT 1`,
    [key],
  );
  return rows.length === 0 ? {} : orderRowValues(rows[0]);
}

/** 20.00 -> "20", 19.90 -> "19.9": how amounts read in Chinese SMS copy. */
function money(value: string): string {
  return String(Number(value));
}
