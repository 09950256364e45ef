// Engineers read a receiving URL's signing secret (made on first use, or now) and rotate it.
import { newWebhookSecret, webhookEndpointSecret } from '@huitou/activities/side-effects';
import { WebhookEndpointSecret, WebhookEndpointUrl, WebhookEndpoints } from '@huitou/schemas/http';
import type pg from 'pg';
import { audit } from '../../audit.ts';
import { withTransaction } from '../../db/transaction.ts';
import { route } from '../route.ts';
import type { Route } from '../route.ts';

type EndpointRow = { url: string; secret: string; created_at: Date; rotated_at: Date | null };

const answer = (r: EndpointRow) => ({
  url: r.url,
  secret: r.secret,
  createdAt: r.created_at.toISOString(),
  rotatedAt: r.rotated_at?.toISOString() ?? null,
});

export const webhookEndpointRoutes: Route[] = [
  route({
    method: 'get',
    path: '/api/webhooks/endpoints',
    summary: 'URLs that outbound webhooks are signed for (no secrets)',
    tag: 'engineering',
    permission: 'webhooks.manage',
    response: WebhookEndpoints,
    handler: async ({ deps }) => {
      const { rows } = await deps.pool.query<Omit<EndpointRow, 'secret'>>(
        'SELECT url, created_at, rotated_at FROM webhook_endpoints ORDER BY url',
      );
      return {
        endpoints: rows.map((r) => ({
          url: r.url,
          createdAt: r.created_at.toISOString(),
          rotatedAt: r.rotated_at?.toISOString() ?? null,
        })),
      };
    },
  }),
  route({
    method: 'post',
    path: '/api/webhooks/endpoints/secret',
    summary: "A URL's signing secret (made now if no webhook went there yet), for its receiver",
    tag: 'engineering',
    permission: 'webhooks.manage',
    body: WebhookEndpointUrl,
    response: WebhookEndpointSecret,
    handler: ({ deps, body, principal }) =>
      withTransaction(deps.pool, async (db) => {
        await webhookEndpointSecret(db as unknown as pg.Pool, body.url);
        await audit(db, principal, 'webhook.secret.read', { type: 'webhook_endpoint', id: body.url });
        return answer(await endpoint(db as unknown as pg.Pool, body.url));
      }),
  }),
  route({
    method: 'post',
    path: '/api/webhooks/endpoints/rotate',
    summary: "Replaces a URL's signing secret: deliveries from now on are signed with the new one",
    tag: 'engineering',
    permission: 'webhooks.manage',
    body: WebhookEndpointUrl,
    response: WebhookEndpointSecret,
    handler: ({ deps, body, principal }) =>
      withTransaction(deps.pool, async (db) => {
        await db.query(
          `INSERT INTO webhook_endpoints (url, secret) VALUES ($1, $2)
           ON CONFLICT (url) DO UPDATE SET secret = EXCLUDED.secret, rotated_at = now()`,
          [body.url, newWebhookSecret()],
        );
        await audit(db, principal, 'webhook.secret.rotate', { type: 'webhook_endpoint', id: body.url });
        return answer(await endpoint(db as unknown as pg.Pool, body.url));
      }),
  }),
];

async function endpoint(pool: pg.Pool, url: string): Promise<EndpointRow> {
  const { rows } = await pool.query<EndpointRow>(
    'SELECT url, secret, created_at, rotated_at FROM webhook_endpoints WHERE url = $1',
    [url],
  );
  return rows[0] as EndpointRow;
}
