// Bulk files: customers, orders, reviews.
import { z } from 'zod';
import { Timestamp } from './common.ts';

/** What a file holds: each kind has its route, POST /api/imports/<kind>. */
export const ImportKindName = z.enum(['customers', 'orders', 'reviews', 'products']);
export type ImportKindName = z.infer<typeof ImportKindName>;

const RowErrorOut = z.object({ line: z.int(), column: z.string().nullable(), message: z.string() });
export const ImportOut = z.object({
  id: z.string(),
  kind: ImportKindName,
  state: z.enum(['running', 'succeeded', 'rejected', 'failed']),
  rowsRead: z.int(),
  rowsFailed: z.int(),
  inserted: z.int(),
  updated: z.int(),
  errorCount: z.int(),
  errors: z.array(RowErrorOut).describe('The first 100 row errors'),
  message: z.string().nullable(),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
});

export const ImportQuery = z.strictObject({
  importId: z
    .uuid()
    .optional()
    .describe('Choose the id yourself to follow progress (GET /api/imports/:id) while the file streams'),
});
