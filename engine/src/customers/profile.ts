// One customer's profile for the customer page (GET /api/customers/:id): who they are, what they
// bought (RFM figures and the lifecycle group by the default rules) and whether marketing may reach them.
import { maskPhone } from '@huitou/activities/segments';
import { LifecycleRules, lifecycleGroupOf } from '@huitou/schemas';
import type { CustomerProfile } from '@huitou/schemas/http';
import { iso } from '../db/transaction.ts';
import type { Db } from '../db/transaction.ts';
import type { Viewer } from './search.ts';

/** A path id as a customer id, or null (no customer has it: a 404, never a SQL error). */
export const customerIdOf = (param: string): number | null =>
  /^[1-9]\d{0,15}$/.test(param) && Number.isSafeInteger(Number(param)) ? Number(param) : null;

interface ProfileRow {
  id: string;
  external_id: string | null;
  nickname: string;
  name: string | null;
  gender: CustomerProfile['gender'];
  province: string | null;
  city: string | null;
  birthday: string | null;
  phone: string | null;
  phone_kind: CustomerProfile['phoneKind'];
  tags: string[];
  registered_at: Date;
  times_marketed: number;
  times_responded: number;
  last_marketed_at: Date | null;
  last_responded_at: Date | null;
  purchases: number;
  total_spend: string | null;
  last_purchase_at: Date | null;
  days_since: number | null;
  opted_out_at: Date | null;
  opt_out_source: string | null;
}

export async function loadCustomerProfile(
  db: Db,
  id: number,
  context: { viewer: Viewer; asOf: Date; timeZone: string },
): Promise<CustomerProfile | null> {
  // Purchases are the one definition (the purchases view: paid, not refunded); opt-outs are found
  // as the send path finds them (by customer or by the number).
  const { rows } = await db.query<ProfileRow>(
    `SELECT c.id, c.external_id, c.nickname, c.name, c.gender, c.province, c.city, c.birthday::text AS birthday,
            c.phone, c.phone_kind, c.tags, c.registered_at, c.times_marketed, c.times_responded,
            c.last_marketed_at, c.last_responded_at,
            p.n AS purchases, p.spend AS total_spend, p.last_at AS last_purchase_at,
            (($2::timestamptz AT TIME ZONE $3)::date - (p.last_at AT TIME ZONE $3)::date) AS days_since,
            o.created_at AS opted_out_at, o.source AS opt_out_source
     FROM customers c
     CROSS JOIN LATERAL (SELECT count(*)::int AS n, sum(amount)::text AS spend, max(paid_at) AS last_at
                         FROM purchases WHERE customer_id = c.id) p
     LEFT JOIN LATERAL (SELECT created_at, source FROM opt_outs
                        WHERE channel = 'sms' AND (customer_id = c.id OR recipient = c.phone)
                        ORDER BY created_at LIMIT 1) o ON true
     WHERE c.id = $1`,
    [id, context.asOf, context.timeZone],
  );
  const r = rows[0];
  if (!r) return null;
  const { rows: suppressions } = await db.query<{ reason: string; until: Date | null; created_at: Date }>(
    `SELECT reason, until, created_at FROM suppressions
     WHERE (customer_id = $1 OR recipient = $2) AND (until IS NULL OR until > $3)
     ORDER BY created_at, id`,
    [id, r.phone, context.asOf],
  );
  return {
    id: Number(r.id),
    externalId: r.external_id,
    nickname: r.nickname,
    name: r.name,
    gender: r.gender,
    province: r.province,
    city: r.city,
    birthday: r.birthday,
    phone: context.viewer.phones ? r.phone : maskPhone(r.phone),
    phoneKind: r.phone_kind,
    tags: r.tags,
    registeredAt: iso(r.registered_at) as string,
    marketing: {
      timesMarketed: r.times_marketed,
      timesResponded: r.times_responded,
      lastMarketedAt: iso(r.last_marketed_at),
      lastRespondedAt: iso(r.last_responded_at),
    },
    rfm: {
      purchases: r.purchases,
      totalSpend: Number(r.total_spend ?? 0),
      lastPurchaseAt: iso(r.last_purchase_at),
      daysSinceLastPurchase: r.days_since,
      lifecycle: lifecycleGroupOf(
        { daysSinceLastPurchase: r.days_since, orderCount: r.purchases },
        LifecycleRules.parse({}),
      ),
    },
    optOut: {
      optedOut: r.opted_out_at !== null,
      since: iso(r.opted_out_at),
      source: r.opt_out_source,
      suppressions: suppressions.map((s) => ({
        reason: s.reason,
        until: iso(s.until),
        createdAt: iso(s.created_at) as string,
      })),
    },
  };
}
