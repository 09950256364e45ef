// Outbound webhooks signed the Standard Webhooks way (standardwebhooks.com), so a receiver checks
// them with any of that spec's libraries: `webhook-id` (stable across retries: the delivery key),
// `webhook-timestamp` (seconds) and `webhook-signature` = `v1,` + base64 HMAC-SHA256 over
// `id.timestamp.body`, keyed by the base64-decoded part of the endpoint's `whsec_` secret.
import { createHmac, randomBytes } from 'node:crypto';
import type pg from 'pg';

const PREFIX = 'whsec_';

export function newWebhookSecret(): string {
  return PREFIX + randomBytes(24).toString('base64');
}

export function standardWebhookSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** The headers of one attempt: a fresh timestamp and signature each time, the same id. */
export function signedWebhookHeaders(secret: string, id: string, body: string, now: Date): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': standardWebhookSignature(secret, id, timestamp, body),
  };
}

/** The URL's signing secret, made on first use (two workers racing agree on one). */
export async function webhookEndpointSecret(pool: pg.Pool, url: string): Promise<string> {
  const { rows } = await pool.query<{ secret: string }>(
    `INSERT INTO webhook_endpoints (url, secret) VALUES ($1, $2) ON CONFLICT (url) DO NOTHING RETURNING secret`,
    [url, newWebhookSecret()],
  );
  if (rows[0]) return rows[0].secret;
  const existing = await pool.query<{ secret: string }>('SELECT secret FROM webhook_endpoints WHERE url = $1', [url]);
  return (existing.rows[0] as { secret: string }).secret;
}
