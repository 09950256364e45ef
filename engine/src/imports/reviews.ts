// Reviews by the marketplace's review id (external_id), for orders already in the shop
// (order_external_id); the customer is the order's. A re-import updates the review in place.
// Negative reviews are what the bad_reviewer exclusion reads.
import { reviewRatingWords, scoreOfSentiment, sentimentOfScore, ReviewRating } from '@huitou/schemas';
import { z } from 'zod';
import { filled, optional, text, timestamp } from './cells.ts';
import type { ImportKind, UpsertColumn } from './import-kind.ts';
import { unknownOrders, upsertBatch } from './import-kind.ts';

/** 好评 / 中评 / 差评, positive / neutral / negative, or a score 1-5: a score and its sentiment. */
const rating = z.string().transform((cell, ctx) => {
  const word = reviewRatingWords[cell] ?? ReviewRating.safeParse(cell.toLowerCase()).data;
  if (word) return { score: scoreOfSentiment[word], sentiment: word };
  if (/^[1-5]$/.test(cell)) return { score: Number(cell), sentiment: sentimentOfScore(Number(cell)) };
  ctx.addIssue({
    code: 'custom',
    message: 'expected 好评, 中评 or 差评, positive, neutral or negative, or a score 1 to 5',
  });
  return z.NEVER;
});

const ReviewRow = z.object({
  external_id: filled(text(200)),
  order_external_id: filled(text(200)),
  rating: filled(rating),
  content: optional(text(2000)),
  created_at: filled(timestamp),
});
type ReviewRow = z.output<typeof ReviewRow>;

export const reviewsImport: ImportKind<ReviewRow> = {
  name: 'reviews',
  columns: Object.keys(ReviewRow.shape),
  required: ['external_id', 'order_external_id', 'rating', 'created_at'],
  row: ReviewRow,
  key: (r) => r.external_id,
  check: unknownOrders,
  async write(db, rows, present) {
    const orderIds = rows.map((r) => r.order_external_id);
    const columns: UpsertColumn[] = [
      { name: 'external_id', type: 'text' },
      // Both parameters carry the order's external id; the join turns them into the order's ids.
      { name: 'order_id', type: 'text', expr: 'o.id' },
      { name: 'customer_id', type: 'text', expr: 'o.customer_id' },
      { name: 'rating', type: 'smallint' },
      { name: 'sentiment', type: 'text' },
      { name: 'created_at', type: 'timestamptz' },
    ];
    const values: unknown[][] = [
      rows.map((r) => r.external_id),
      orderIds,
      orderIds,
      rows.map((r) => r.rating.score),
      rows.map((r) => r.rating.sentiment),
      rows.map((r) => r.created_at),
    ];
    // Left out of the header, the text stays as it is.
    if (present.has('content')) {
      columns.push({ name: 'content', type: 'text' });
      values.push(rows.map((r) => r.content ?? null));
    }
    return upsertBatch(db, {
      table: 'reviews',
      key: 'external_id',
      columns,
      values,
      join: 'JOIN orders o ON o.external_id = u.order_id',
    });
  },
};
