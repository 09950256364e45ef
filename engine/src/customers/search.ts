// The one customer lookup (GET /api/customers?q=): the Customers page, the one-customer simulation
// and the test send. By an exact id or external id, part of a nickname, or phone digits; phones
// masked as the inbox masks them unless the role may see them.
import type { CustomerMatches } from '@huitou/schemas/http';
import { maskPhone } from '@huitou/activities/segments';
import type { Db } from '../db/transaction.ts';

export interface Viewer {
  /** The role may see full phone numbers (customers.phone). */
  readonly phones: boolean;
}

export async function searchCustomers(
  db: Db,
  search: { q: string; offset: number; limit: number },
  viewer: Viewer,
): Promise<CustomerMatches> {
  const { q, offset, limit } = search;
  const digits = q.normalize('NFKC').replace(/\D/g, '');
  const { rows } = await db.query<{
    id: string;
    external_id: string | null;
    nickname: string;
    phone: string | null;
    orders: number;
    last_order_at: Date | null;
  }>(
    // Exact id and external id first, then nicknames starting with q, then the rest; phone digits
    // only from 4 on (fewer would match half the shop). Phones are E.164 (+ and digits), so the
    // digits match as they are (a trigram index on phone and nickname could serve both LIKEs).
    // One row more than the page tells if there is a next.
    `SELECT c.id, c.external_id, c.nickname, c.phone,
            (SELECT count(*)::int FROM orders o WHERE o.customer_id = c.id) AS orders,
            (SELECT max(o.created_at) FROM orders o WHERE o.customer_id = c.id) AS last_order_at
     FROM customers c
     WHERE c.nickname ILIKE '%' || $1 || '%'
        OR (length($2) >= 4 AND c.phone LIKE '%' || $2 || '%')
        OR c.id = $3::bigint
        OR c.external_id = $4
     ORDER BY (c.id = $3::bigint OR c.external_id = $4) IS TRUE DESC, (c.nickname ILIKE $1 || '%') DESC, c.nickname, c.id
     OFFSET $5 LIMIT $6`,
    [q.replace(/[\\%_]/g, (ch) => `\\${ch}`), digits, /^\d{1,15}$/.test(q) ? q : null, q, offset, limit + 1],
  );
  return {
    customers: rows.slice(0, limit).map((r) => ({
      id: Number(r.id),
      externalId: r.external_id,
      nickname: r.nickname,
      phone: viewer.phones ? r.phone : maskPhone(r.phone),
      orders: r.orders,
      lastOrderAt: r.last_order_at?.toISOString() ?? null,
    })),
    next: rows.length > limit ? offset + limit : null,
  };
}
