// Unsubscribe links of marketing e-mails: a token naming the customer and address, signed with the
// key migration 098 made (email_secrets), so the public endpoint needs no API key and cannot be
// used to opt out someone else.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../../side-effects/members.ts';

/** Where the public endpoint listens (engine/src/api/email-unsubscribe.ts). */
export const UNSUBSCRIBE_PATH = '/api/email/unsubscribe';

const keys = new WeakMap<object, Promise<string>>();

/** The signing key, read once per pool. */
export function unsubscribeKey(db: Queryable): Promise<string> {
  let key = keys.get(db);
  if (!key) {
    key = db
      .query<{ unsubscribe_key: string }>('SELECT unsubscribe_key FROM email_secrets WHERE id = 1')
      .then(({ rows }) => {
        if (rows.length === 0) throw new Error('email_secrets has no key: is migration 098 applied?');
        return rows[0].unsubscribe_key;
      });
    void key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
}

/** The address as opt-outs store and compare it. */
export function normalizeEmail(address: string): string {
  return address.trim().toLowerCase();
}

function mac(key: string, customerId: number, email: string): string {
  return createHmac('sha256', key).update(`${customerId}\n${email}`).digest('base64url').slice(0, 32);
}

/** `<customer id>.<address, base64url>.<HMAC>`. */
export function unsubscribeToken(key: string, customerId: number, address: string): string {
  const email = normalizeEmail(address);
  return `${customerId}.${Buffer.from(email).toString('base64url')}.${mac(key, customerId, email)}`;
}

/** The customer and address a token names, or null when it is malformed or not signed with `key`. */
export function readUnsubscribeToken(key: string, token: string): { customerId: number; email: string } | null {
  const match = /^(\d{1,18})\.([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!match) return null;
  const customerId = Number(match[1]);
  const email = Buffer.from(match[2], 'base64url').toString();
  const expected = Buffer.from(mac(key, customerId, email));
  const given = Buffer.from(match[3]);
  if (!Number.isSafeInteger(customerId) || !timingSafeEqual(expected, given)) return null;
  return { customerId, email };
}

export function unsubscribeUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${UNSUBSCRIBE_PATH}?t=${token}`;
}

/**
 * Records the opt-out (channel 'email'); true when it is new. Later marketing e-mails to the
 * address or the customer are skipped as `opted_out`.
 */
export async function recordEmailOptOut(
  db: Queryable,
  input: { customerId: number; email: string; source: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO opt_outs (recipient, channel, customer_id, source)
     SELECT $1::text, 'email', c.id, $3::text FROM (SELECT $2::bigint AS id) u LEFT JOIN customers c ON c.id = u.id
     ON CONFLICT (recipient, channel) DO NOTHING`,
    [normalizeEmail(input.email), input.customerId, input.source],
  );
  return (rowCount ?? 0) > 0;
}
