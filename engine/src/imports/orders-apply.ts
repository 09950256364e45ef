// Applies a staged orders import set-based in SQL: the staged batches are unpacked into a temporary
// table a range at a time (APPLY_BATCHES batches, bounded memory on the database side too; ranges
// may be applied while the file still streams, run-import.ts), and
// each range is a handful of statements: the buyers an export brings, the orders, their items (our
// items cell) and the customers' latest address. No row travels through JS again.
import { refreshResponses } from '../shop/responses.ts';
import { MARKS_BY_WRITER, markDirtySql } from '../reports/overview-marks.ts';
import { setLocal } from '../db/transaction.ts';
import type { Db } from '../db/transaction.ts';
import type { RangedApply, RowError } from './import-kind.ts';

/** Memory for the apply's sorts, this transaction only (Postgres's default is 4 MB). */
export const APPLY_WORK_MEM = '64MB';

/** The order columns an import may write, with their types in the staged rows. */
export const ORDER_COLUMNS = {
  external_id: 'text',
  status: 'text',
  amount: 'numeric',
  discount: 'numeric',
  channel: 'text',
  created_at: 'timestamptz',
  paid_at: 'timestamptz',
  shipped_at: 'timestamptz',
  completed_at: 'timestamptz',
  closed_at: 'timestamptz',
  refunded_at: 'timestamptz',
  province: 'text',
  city: 'text',
  carrier: 'text',
  tracking_no: 'text',
  coupon_code: 'text',
  item_count: 'int',
} as const;
type OrderColumn = keyof typeof ORDER_COLUMNS;
const orderColumns = Object.keys(ORDER_COLUMNS) as OrderColumn[];

const STAGED = `${orderColumns.map((c) => `${c} ${ORDER_COLUMNS[c]}`).join(', ')}, customer_external_id text, items jsonb, buyer jsonb`;

/**
 * Starts an orders apply in the caller's transaction: `range` applies staged batches as they come
 * (while the file still streams, or all at the end), `totals` says what was written.
 */
export async function startOrdersApply(db: Db, importId: string, present: ReadonlySet<string>): Promise<RangedApply> {
  const totals = { inserted: 0, updated: 0, customersCreated: 0, errors: [] as RowError[] };
  // A range's sorts (latest row per buyer, per order) fit in memory instead of spilling to disk;
  // each range marks its buyers for the overview once (below), not a trigger per statement.
  await setLocal(db, { work_mem: APPLY_WORK_MEM, ...MARKS_BY_WRITER });
  await db.query(`CREATE TEMP TABLE import_orders (line int, ${STAGED}) ON COMMIT DROP`);
  // Buyers whose row showed a masked or fixed-line number: the import's summary counts them.
  await db.query('CREATE TEMP TABLE import_unreachable (external_id text PRIMARY KEY) ON COMMIT DROP');
  // The range's customers by external id: its orders join this instead of the whole customers
  // table (a hash join over every customer, each range: quadratic in the file).
  await db.query(
    'CREATE TEMP TABLE import_customers (external_id text PRIMARY KEY, id bigint NOT NULL) ON COMMIT DROP',
  );
  // Only the file's columns are written (item_count comes with an items cell too).
  const used = orderColumns.filter((c) => present.has(c) || (c === 'item_count' && present.has('items')));
  const update = used.filter((c) => c !== 'external_id');
  const range = async (from: number, to: number): Promise<boolean> => {
    await db.query(
      `INSERT INTO import_orders
       SELECT (e->>'line')::int, r.*
       FROM import_batches b
       CROSS JOIN LATERAL jsonb_array_elements(b.parsed) e
       CROSS JOIN LATERAL jsonb_to_record(e->'row') AS r(${STAGED})
       WHERE b.import_id = $1 AND b.batch_no BETWEEN $2 AND $3`,
      [importId, from, to],
    );
    if (present.has('items'))
      await db.query('UPDATE import_orders SET item_count = jsonb_array_length(items) WHERE items IS NOT NULL');
    // The shop may have changed while the file streamed: a named customer must still be there.
    const { rows: missing } = await db.query<{ line: number }>(
      `SELECT line FROM import_orders t WHERE buyer IS NULL
         AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.external_id = t.customer_external_id) ORDER BY line`,
    );
    if (missing.length > 0) {
      totals.errors.push(
        ...missing.map((m) => ({
          line: m.line,
          column: 'customer_external_id',
          message: 'no customer with this external id',
        })),
      );
      return false;
    }
    // Buyers an export brings, each with their latest row of the range: created when new; a known
    // one takes the range's address only when no order on record is later (ranges may come in any
    // time order), and a mobile the export shows.
    const { rows: buyers } = await db.query<{ created: number }>(
      `WITH buyer AS (
         SELECT DISTINCT ON (customer_external_id) customer_external_id, buyer, province, city, created_at,
                min(created_at) OVER (PARTITION BY customer_external_id) AS first_order
         FROM import_orders WHERE buyer IS NOT NULL
         ORDER BY customer_external_id, created_at DESC, line DESC),
       written AS (
         INSERT INTO customers AS k (external_id, nickname, name, phone, unreachable_phone, phone_kind, registered_at, province, city)
         SELECT customer_external_id, buyer->>'nickname', buyer->>'name',
                CASE WHEN buyer->'phone'->>'kind' = 'mobile' THEN buyer->'phone'->>'e164' END,
                CASE buyer->'phone'->>'kind' WHEN 'fixed_line' THEN buyer->'phone'->>'e164'
                                             WHEN 'masked' THEN buyer->'phone'->>'raw' END,
                buyer->'phone'->>'kind', first_order, province, city
         FROM buyer
         ON CONFLICT (external_id) DO UPDATE SET
           name = COALESCE(EXCLUDED.name, k.name),
           phone = COALESCE(EXCLUDED.phone, k.phone),
           unreachable_phone = COALESCE(EXCLUDED.unreachable_phone, k.unreachable_phone),
           phone_kind = CASE WHEN EXCLUDED.phone IS NOT NULL OR k.phone IS NOT NULL THEN 'mobile'
                             ELSE COALESCE(EXCLUDED.phone_kind, k.phone_kind) END,
           (province, city) = (
             SELECT CASE WHEN x.keep THEN k.province ELSE x.province END, CASE WHEN x.keep THEN k.city ELSE x.city END
             FROM (SELECT b.province, b.city,
                          b.province IS NULL OR EXISTS (
                            SELECT 1 FROM orders o WHERE o.customer_id = k.id AND o.province IS NOT NULL
                              AND o.created_at > b.created_at) AS keep
                   FROM buyer b WHERE b.customer_external_id = k.external_id) x)
         RETURNING k.external_id, k.id, (xmax = 0) AS inserted),
       found AS (INSERT INTO import_customers SELECT external_id, id FROM written)
       SELECT count(*) FILTER (WHERE inserted)::int AS created FROM written`,
    );
    totals.customersCreated += buyers[0].created;
    // Customers our own columns name (checked above).
    await db.query(
      `INSERT INTO import_customers
       SELECT c.external_id, c.id FROM customers c
       WHERE c.external_id IN (SELECT customer_external_id FROM import_orders WHERE buyer IS NULL)
       ON CONFLICT DO NOTHING`,
    );
    await db.query(
      `INSERT INTO import_unreachable
       SELECT DISTINCT customer_external_id FROM import_orders WHERE buyer->'phone'->>'kind' IN ('masked', 'fixed_line')
       ON CONFLICT DO NOTHING`,
    );
    // A later row with the same order number replaces an earlier one. A blank item count is 0.
    const { rows: orders } = await db.query<{ inserted: number; updated: number }>(
      `WITH written AS (
         INSERT INTO orders (${used.join(', ')}, customer_id, updated_at)
         SELECT DISTINCT ON (t.external_id) ${used.map((c) => (c === 'item_count' ? 'COALESCE(t.item_count, 0)' : `t.${c}`)).join(', ')}, c.id, now()
         FROM import_orders t JOIN import_customers c ON c.external_id = t.customer_external_id
         ORDER BY t.external_id, t.line DESC
         ON CONFLICT (external_id) DO UPDATE SET
           ${[...update, 'customer_id', 'updated_at'].map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
         RETURNING (xmax = 0) AS inserted)
       SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated
       FROM written`,
    );
    totals.inserted += orders[0].inserted;
    totals.updated += orders[0].updated;
    if (present.has('items')) await replaceItems(db);
    if (present.has('province')) await latestAddresses(db);
    // Responses follow purchases however they arrive (engine/src/shop/responses.ts).
    const { rows: buyersOfRange } = await db.query<{ x: string }>(
      'SELECT DISTINCT customer_external_id AS x FROM import_orders',
    );
    await refreshResponses(db, { externalIds: buyersOfRange.map((b) => b.x) });
    await db.query(markDirtySql('SELECT id FROM import_customers'));
    await db.query('TRUNCATE import_orders, import_customers');
    return true;
  };
  return { range, totals: () => totals };
}

/** Our items cell (category:quantity:amount entries): the order's items are replaced. */
async function replaceItems(db: Db): Promise<void> {
  await db.query(
    'DELETE FROM order_items WHERE order_id IN (SELECT o.id FROM orders o JOIN import_orders t USING (external_id))',
  );
  await db.query(
    `INSERT INTO order_items (order_id, line_no, category, quantity, unit_price, amount)
     SELECT o.id, i.n, i.e->>'category', (i.e->>'quantity')::int, (i.e->>'unitPrice')::numeric, (i.e->>'amount')::numeric
     FROM (SELECT DISTINCT ON (external_id) external_id, items FROM import_orders ORDER BY external_id, line DESC) t
     JOIN orders o USING (external_id)
     CROSS JOIN LATERAL jsonb_array_elements(t.items) WITH ORDINALITY AS i(e, n)`,
  );
}

/**
 * Customers our own columns name (rows without a buyer): their province and city are those of
 * their latest order on record that has an address.
 */
async function latestAddresses(db: Db): Promise<void> {
  await db.query(
    `UPDATE customers c SET province = l.province, city = l.city
     FROM (SELECT DISTINCT ON (o.customer_id) o.customer_id, o.province, o.city
           FROM (SELECT DISTINCT customer_external_id FROM import_orders WHERE buyer IS NULL) t
           JOIN customers k ON k.external_id = t.customer_external_id
           JOIN orders o ON o.customer_id = k.id
           WHERE o.province IS NOT NULL
           ORDER BY o.customer_id, o.created_at DESC, o.id DESC) l
     WHERE c.id = l.customer_id AND (c.province IS DISTINCT FROM l.province OR c.city IS DISTINCT FROM l.city)`,
  );
}
