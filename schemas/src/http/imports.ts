// Bulk files: customers, orders, order items, products, reviews.
import { z } from 'zod';
import { Limit, Timestamp } from './common.ts';

/** What a file holds: each kind has its route, POST /api/imports/<kind>. */
export const ImportKindName = z.enum(['customers', 'orders', 'order-items', 'products', 'reviews', 'coupon-codes']);
export type ImportKindName = z.infer<typeof ImportKindName>;

const RowErrorOut = z.object({ line: z.int(), column: z.string().nullable(), message: z.string() });
export const ImportOut = z.object({
  id: z.string(),
  kind: ImportKindName,
  format: z
    .enum(['huitou', 'taobao'])
    .nullable()
    .describe("The file's format, told by its header: our columns, or the Taobao/Tmall seller centre's export"),
  charset: z
    .enum(['utf-8', 'gb18030'])
    .nullable()
    .describe('Declared in the Content-Type or detected (GBK is read as GB18030)'),
  state: z.enum(['running', 'succeeded', 'rejected', 'failed']),
  rowsRead: z.int(),
  rowsFailed: z.int(),
  inserted: z.int(),
  updated: z.int(),
  errorCount: z.int(),
  errors: z.array(RowErrorOut).describe('The first 100 row errors'),
  customersCreated: z.int().describe('Buyers an order report named that were not customers yet'),
  unreachablePhones: z
    .int()
    .describe(
      'Customers of the file whose phone SMS cannot reach (masked 138****1234 or a fixed line, and no mobile on record)',
    ),
  productsCreated: z
    .int()
    .describe("Products an item file named that the catalogue lacked, created in 'uncategorised'"),
  newProducts: z
    .array(z.object({ sku: z.string(), name: z.string() }))
    .describe('The first 100 of those products, by sku'),
  message: z.string().nullable(),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
});

export const ImportQuery = z.strictObject({
  importId: z
    .uuid()
    .optional()
    .describe('Choose the id yourself to follow progress (GET /api/imports/:id) while the file streams'),
  fileName: z.string().trim().min(1).max(200).optional().describe("The uploaded file's name, shown in the history"),
});

/** One upload in the history: what it was, who sent it, how far it got and how it ended. */
export const ImportSummary = ImportOut.omit({ errors: true, newProducts: true }).extend({
  fileName: z.string().nullable(),
  actor: z.string().describe('The key that uploaded the file (key:<id>)'),
  actorName: z.string().nullable().describe("That key's name"),
});
export const ImportHistory = z.object({ imports: z.array(ImportSummary), total: z.int() });
export type ImportOut = z.infer<typeof ImportOut>;
export type ImportSummary = z.infer<typeof ImportSummary>;
export type ImportHistory = z.infer<typeof ImportHistory>;
export const ImportHistoryQuery = z.strictObject({
  kind: ImportKindName.optional(),
  limit: Limit,
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
