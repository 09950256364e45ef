// An order item as both item formats (order-items.ts, taobao-items.ts) read it.
import { createHash } from 'node:crypto';

export interface ItemRow {
  order_external_id: string;
  /** Null: numbered in file order within the order. */
  line_no: number | null;
  sku: string;
  title: string | null;
  quantity: number;
  unit_price: string;
  amount: string;
}

/** The product key of an item: its merchant code, else one derived from its title. */
export const skuOf = (code: string | null | undefined, title: string | null | undefined): string | null =>
  code || (title ? `title:${createHash('md5').update(title).digest('hex')}` : null);

const cents = (yuan: string) => Math.round(Number(yuan) * 100);
const yuan = (c: number) => (c / 100).toFixed(2);

/** The price of one and of the line, from whichever the file gives (the line's wins when both). */
export function prices(quantity: number, unitPrice: string | null, amount: string | null) {
  if (amount !== null) return { unit_price: unitPrice ?? yuan(Math.round(cents(amount) / quantity)), amount };
  return { unit_price: unitPrice ?? '0', amount: yuan(cents(unitPrice ?? '0') * quantity) };
}
