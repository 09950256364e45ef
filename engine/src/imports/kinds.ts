// Every importable kind by name: the routes and the parser's worker thread (which gets only the
// name) both take them from here.
import type { ImportKindName } from '@huitou/schemas/http';
import { couponCodesImport } from './coupon-codes.ts';
import { customersImport } from './customers.ts';
import { orderItemsImport } from './order-items.ts';
import { ordersImport } from './orders.ts';
import { productsImport } from './products.ts';
import { reviewsImport } from './reviews.ts';

export const IMPORT_KINDS = {
  customers: customersImport,
  orders: ordersImport,
  'order-items': orderItemsImport,
  products: productsImport,
  reviews: reviewsImport,
  'coupon-codes': couponCodesImport,
} as const satisfies Record<ImportKindName, { name: ImportKindName }>;
