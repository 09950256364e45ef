// The opt-out list for staff: read it (paged, searched), add a number or a customer by hand with a
// reason, take an entry off with a reason. Replies and shop integrations opt out through
// POST /api/opt-outs (events.ts); every change here is in the audit log.
import { maskEmail, maskPhone } from '@huitou/activities/segments';
import {
  IdParams,
  ManualOptOutBody,
  OptOut,
  OptOutList,
  OptOutListQuery,
  RemoveOptOutBody,
  allows,
  normalizePhone,
} from '@huitou/schemas/http';
import type { z } from 'zod';
import { audit } from '../../audit.ts';
import type { Db } from '../../db/transaction.ts';
import { iso, withTransaction } from '../../db/transaction.ts';
import { ApiError, notFound, unprocessable } from '../errors.ts';
import { keyNameJoin, listPage } from '../list-page.ts';
import { route } from '../route.ts';
import type { Route } from '../route.ts';

interface OptOutRow {
  id: string;
  recipient: string;
  channel: string;
  customer_id: string | null;
  nickname: string | null;
  source: string | null;
  reason: string | null;
  created_by: string | null;
  created_by_name: string | null;
  created_at: Date;
}

const FROM = `FROM opt_outs o LEFT JOIN customers c ON c.id = o.customer_id ${keyNameJoin('o.created_by')}`;
const SELECTED = `o.id, o.recipient, o.channel, o.customer_id, c.nickname, o.source, o.reason, o.created_by, k.name AS created_by_name, o.created_at`;

const optOutOut = (r: OptOutRow, phones: boolean): z.input<typeof OptOut> => ({
  id: String(r.id),
  channel: r.channel === 'email' ? 'email' : 'sms',
  phone: r.channel === 'email' ? null : phones ? r.recipient : (maskPhone(r.recipient) ?? ''),
  email: r.channel !== 'email' ? null : phones ? r.recipient : maskEmail(r.recipient),
  customerId: r.customer_id === null ? null : Number(r.customer_id),
  customerName: r.nickname,
  source: r.source,
  reason: r.reason,
  createdBy: r.created_by,
  createdByName: r.created_by_name,
  createdAt: iso(r.created_at) as string,
});

async function loadOptOut(db: Db, id: string, lock = false): Promise<OptOutRow> {
  if (!/^\d{1,18}$/.test(id)) throw notFound('opt-out', ['params', 'id']);
  const { rows } = await db.query<OptOutRow>(
    `SELECT ${SELECTED} ${FROM} WHERE o.id = $1${lock ? ' FOR UPDATE OF o' : ''}`,
    [id],
  );
  if (!rows[0]) throw notFound('opt-out', ['params', 'id']);
  return rows[0];
}

/** The number and customer a manual opt-out names: the phone's customer, or the customer's phone. */
async function target(db: Db, body: z.infer<typeof ManualOptOutBody>) {
  if (body.phone !== undefined) {
    const phone = normalizePhone(body.phone);
    const { rows } = await db.query<{ id: string }>('SELECT id FROM customers WHERE phone = $1 ORDER BY id LIMIT 1', [
      phone,
    ]);
    return { phone, customerId: rows[0]?.id ?? null };
  }
  const { rows } = await db.query<{ id: string; phone: string | null }>(
    'SELECT id, phone FROM customers WHERE id = $1',
    [body.customerId],
  );
  if (!rows[0]) throw notFound('customer', ['body', 'customerId']);
  if (!rows[0].phone)
    throw unprocessable('no_phone', 'the customer has no phone number, so no SMS reaches them anyway', [
      'body',
      'customerId',
    ]);
  return { phone: rows[0].phone, customerId: rows[0].id };
}

export const optOutRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/opt-outs',
    summary:
      'The opt-out list, newest first, paged; q searches phone digits (4 or more), the customer id or nickname. Phones masked unless the role may see them',
    tag: 'opt-outs',
    permission: 'read',
    query: OptOutListQuery,
    response: OptOutList,
    handler: async ({ deps, query, principal }) => {
      const q = query.q ?? '';
      const digits = q.normalize('NFKC').replace(/\D/g, '');
      const where = `WHERE $1 = '' OR c.nickname ILIKE '%' || $1 || '%'
        OR (length($2) >= 4 AND regexp_replace(o.recipient, '\\D', '', 'g') LIKE '%' || $2 || '%')
        OR o.customer_id = $3::bigint`;
      const args = [q.replace(/[\\%_]/g, (ch) => `\\${ch}`), digits, /^\d{1,15}$/.test(q) ? q : null];
      const { rows, total } = await listPage<OptOutRow>(deps.pool, {
        columns: SELECTED,
        from: `${FROM} ${where}`,
        order: 'o.created_at DESC, o.id DESC',
        args,
        limit: query.limit,
        offset: query.offset,
      });
      const phones = allows(principal.role, 'customers.phone');
      return { optOuts: rows.map((r) => optOutOut(r, phones)), total };
    },
  }),
  route({
    method: 'post',
    path: '/api/opt-outs/manual',
    summary:
      'Add a number (or a customer, by their phone) to the opt-out list by hand, with the reason (e.g. asked on the phone); 409 if it is on the list',
    tag: 'opt-outs',
    permission: 'optouts.add',
    body: ManualOptOutBody,
    response: OptOut,
    status: 201,
    handler: async ({ deps, body, principal }) =>
      withTransaction(deps.pool, async (db) => {
        const { phone, customerId } = await target(db, body);
        const { rows } = await db.query<{ id: string }>(
          `INSERT INTO opt_outs (recipient, channel, customer_id, source, reason, created_by)
           VALUES ($1, 'sms', $2, 'manual', $3, $4) ON CONFLICT (recipient, channel) DO NOTHING RETURNING id`,
          [phone, customerId, body.reason, principal.actor],
        );
        if (!rows[0]) {
          const { rows: existing } = await db.query<{ id: string }>(
            `SELECT id FROM opt_outs WHERE recipient = $1 AND channel = 'sms'`,
            [phone],
          );
          throw new ApiError(
            409,
            'already_opted_out',
            'this number is on the opt-out list already',
            ['body', body.phone !== undefined ? 'phone' : 'customerId'],
            { optOutId: String(existing[0]?.id) },
          );
        }
        await audit(
          db,
          principal,
          'optout.add',
          { type: 'opt-out', id: String(rows[0].id) },
          { phone: maskPhone(phone), customerId: customerId === null ? null : Number(customerId), reason: body.reason },
        );
        return optOutOut(await loadOptOut(db, String(rows[0].id)), allows(principal.role, 'customers.phone'));
      }),
  }),
  route({
    method: 'post',
    path: '/api/opt-outs/:id/remove',
    summary:
      'Take an entry off the opt-out list (the number gets marketing SMS again), with the reason; the audit log keeps who, when, why',
    tag: 'opt-outs',
    permission: 'optouts.remove',
    params: IdParams,
    body: RemoveOptOutBody,
    response: OptOut,
    handler: async ({ deps, params, body, principal }) =>
      withTransaction(deps.pool, async (db) => {
        const row = await loadOptOut(db, params.id, true);
        await db.query('DELETE FROM opt_outs WHERE id = $1', [row.id]);
        await audit(
          db,
          principal,
          'optout.remove',
          { type: 'opt-out', id: String(row.id) },
          {
            ...(row.channel === 'email' ? { email: maskEmail(row.recipient) } : { phone: maskPhone(row.recipient) }),
            customerId: row.customer_id === null ? null : Number(row.customer_id),
            source: row.source,
            reason: body.reason,
          },
        );
        return optOutOut(row, allows(principal.role, 'customers.phone'));
      }),
  }),
];
