// The small customer search of the one-customer simulation and the test send: by nickname, by
// phone digits or by id, phones masked as the inbox masks them unless the role may see them.
import type pg from 'pg';
import type { CustomerMatch } from '@huitou/schemas/http';
import { maskPhone } from '@huitou/activities/segments';

const LIMIT = 10;

export async function searchCustomers(pool: pg.Pool, q: string, viewer: { phones: boolean }): Promise<CustomerMatch[]> {
  const digits = q.normalize('NFKC').replace(/\D/g, '');
  const { rows } = await pool.query<{
    id: string;
    nickname: string;
    phone: string | null;
    orders: number;
    last_order_at: Date | null;
  }>(
    // Exact id first, then nicknames starting with q, then the rest; phone digits only from 4 on
    // (fewer would match half the shop).
    `SELECT c.id, c.nickname, c.phone,
            (SELECT count(*)::int FROM orders o WHERE o.customer_id = c.id) AS orders,
            (SELECT max(o.created_at) FROM orders o WHERE o.customer_id = c.id) AS last_order_at
     FROM customers c
     WHERE c.nickname ILIKE '%' || $1 || '%'
        OR (length($2) >= 4 AND regexp_replace(coalesce(c.phone, ''), '\\D', '', 'g') LIKE '%' || $2 || '%')
        OR c.id = $3::bigint
     ORDER BY (c.id = $3::bigint) IS TRUE DESC, (c.nickname ILIKE $1 || '%') DESC, c.nickname, c.id
     LIMIT ${LIMIT}`,
    [q.replace(/[\\%_]/g, (ch) => `\\${ch}`), digits, /^\d{1,15}$/.test(q) ? q : null],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    nickname: r.nickname,
    phone: viewer.phones ? r.phone : maskPhone(r.phone),
    orders: r.orders,
    lastOrderAt: r.last_order_at?.toISOString() ?? null,
  }));
}
