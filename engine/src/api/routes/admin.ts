// Admin (API keys), the audit log, and the engineers' views (custom activities, webhooks).
import { customActivities } from '@huitou/activities/custom';
import { activityNames } from '@huitou/schemas';
import {
  ActivityList,
  AuditLog,
  AuditQuery,
  CreateKeyBody,
  CreatedKey,
  IdParams,
  KeyList,
  Ok,
  WebhookDeliveries,
  WebhookQuery,
} from '@huitou/schemas/http';
import type { Role } from '@huitou/schemas/http';
import { audit } from '../../audit.ts';
import { createApiKey, forgetCachedKeys } from '../auth.ts';
import { iso, withTransaction } from '../../db/transaction.ts';
import { endOfLocalDate, startOfLocalDate } from '../../scheduler/recurrence.ts';
import { readShopSettings } from '../../shop/settings.ts';
import { ApiError, conflict, notFound } from '../errors.ts';
import { isUuid, route } from '../route.ts';
import type { Route } from '../route.ts';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An audit filter bound as an instant: a local date means its start (from) or its end, inclusive (to). */
function auditBound(value: string, timeZone: string, side: 'from' | 'to'): Date {
  if (!LOCAL_DATE.test(value)) return new Date(value);
  return new Date(side === 'from' ? startOfLocalDate(value, timeZone) : endOfLocalDate(value, timeZone) + 1);
}

export const adminRoutes: Route[] = [
  route({
    method: 'post',
    path: '/api/keys',
    summary: 'Create an API key; the key is in this response only',
    tag: 'admin',
    permission: 'keys.manage',
    body: CreateKeyBody,
    response: CreatedKey,
    status: 201,
    handler: async ({ deps, body, principal }) =>
      withTransaction(deps.pool, async (db) => {
        const created = await createApiKey(db, { name: body.name, role: body.role, createdBy: principal.actor });
        await audit(
          db,
          principal,
          'key.create',
          { type: 'api_key', id: created.id },
          { name: body.name, keyRole: body.role },
        );
        return { id: created.id, name: created.name, role: created.role, prefix: created.prefix, key: created.key };
      }),
  }),
  route({
    method: 'get',
    path: '/api/keys',
    summary: 'List API keys (never the keys themselves)',
    tag: 'admin',
    permission: 'keys.manage',
    response: KeyList,
    handler: async ({ deps }) => {
      const { rows } = await deps.pool.query<{
        id: string;
        name: string;
        role: Role;
        key_prefix: string;
        created_by: string | null;
        created_at: Date;
        last_used_at: Date | null;
        revoked_at: Date | null;
      }>(
        'SELECT id, name, role, key_prefix, created_by, created_at, last_used_at, revoked_at FROM api_keys ORDER BY created_at, id',
      );
      return {
        keys: rows.map((k) => ({
          id: k.id,
          name: k.name,
          role: k.role,
          prefix: k.key_prefix,
          createdBy: k.created_by,
          createdAt: iso(k.created_at) as string,
          lastUsedAt: iso(k.last_used_at),
          revokedAt: iso(k.revoked_at),
        })),
      };
    },
  }),
  route({
    method: 'delete',
    path: '/api/keys/:id',
    summary: 'Revoke an API key',
    tag: 'admin',
    permission: 'keys.manage',
    params: IdParams,
    response: Ok,
    handler: async ({ deps, params, principal }) => {
      await withTransaction(deps.pool, async (db) => {
        if (!isUuid(params.id)) throw notFound('key', ['params', 'id']);
        if (params.id === principal.keyId) throw conflict('an admin cannot revoke the key in use', ['params', 'id']);
        const { rowCount } = await db.query(
          'UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
          [params.id],
        );
        if (!rowCount) throw notFound('active key', ['params', 'id']);
        await audit(db, principal, 'key.revoke', { type: 'api_key', id: params.id });
      });
      forgetCachedKeys(deps.pool);
      return { ok: true as const };
    },
  }),
  route({
    method: 'get',
    path: '/api/audit',
    summary:
      "The audit log, newest first: by entity, action, who and a period (local dates in the shop's time zone), paged with the total",
    tag: 'admin',
    permission: 'audit.read',
    query: AuditQuery,
    response: AuditLog,
    handler: async ({ deps, query }) => {
      const { timeZone } = await readShopSettings(deps.pool);
      const from = query.from === undefined ? null : auditBound(query.from, timeZone, 'from');
      const to = query.to === undefined ? null : auditBound(query.to, timeZone, 'to');
      if (from && to && to <= from) throw new ApiError(400, 'invalid_range', 'to must be after from', ['query', 'to']);
      const filters = `WHERE ($1::text IS NULL OR entity_type = $1) AND ($2::text IS NULL OR entity_id = $2)
         AND ($3::text IS NULL OR action = $3) AND ($4::text IS NULL OR actor = $4)
         AND ($5::timestamptz IS NULL OR at >= $5) AND ($6::timestamptz IS NULL OR at < $6)`;
      const params = [
        query.entityType ?? null,
        query.entityId ?? null,
        query.action ?? null,
        query.actor ?? null,
        from,
        to,
      ];
      const { rows } = await deps.pool.query<{
        id: string;
        at: Date;
        actor: string;
        actor_name: string | null;
        action: string;
        entity_type: string;
        entity_id: string | null;
        details: Record<string, unknown>;
      }>(
        `SELECT a.id, a.at, a.actor, k.name AS actor_name, a.action, a.entity_type, a.entity_id, a.details
         FROM (SELECT * FROM audit_log ${filters} ORDER BY id DESC LIMIT $7 OFFSET $8) a
         LEFT JOIN api_keys k ON a.actor = 'key:' || k.id::text
         ORDER BY a.id DESC`,
        [...params, query.limit, query.offset],
      );
      const total = await deps.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log ${filters}`, params);
      const actions = await deps.pool.query<{ action: string }>(
        'SELECT DISTINCT action FROM audit_log ORDER BY action',
      );
      const actors = await deps.pool.query<{ actor: string; name: string | null }>(
        `SELECT a.actor, k.name FROM (SELECT DISTINCT actor FROM audit_log) a
         LEFT JOIN api_keys k ON a.actor = 'key:' || k.id::text ORDER BY a.actor`,
      );
      return {
        total: total.rows[0]?.n ?? 0,
        actions: actions.rows.map((r) => r.action),
        actors: actors.rows.map((r) => ({ actor: r.actor, name: r.name })),
        entries: rows.map((r) => ({
          id: Number(r.id),
          at: iso(r.at) as string,
          actor: r.actor,
          actorName: r.actor_name,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          details: r.details,
        })),
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/activities',
    summary: 'Activities the worker provides: built-in node activities and custom ones (defineActivity)',
    tag: 'engineering',
    permission: 'activities.manage',
    response: ActivityList,
    // A custom activity with a palette node is in the registry's names too: list it once, as custom.
    handler: async () => {
      const custom = new Set(customActivities.map((a) => a.name));
      return {
        builtIn: activityNames.filter((name) => !custom.has(name)),
        custom: [...custom].map((name) => ({ name })),
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/webhooks/deliveries',
    summary: 'Outgoing webhook deliveries (action.webhook nodes), newest first',
    tag: 'engineering',
    permission: 'webhooks.manage',
    query: WebhookQuery,
    response: WebhookDeliveries,
    handler: async ({ deps, query }) => {
      if (query.runId !== undefined && !isUuid(query.runId)) return { deliveries: [] };
      const { rows } = await deps.pool.query<{
        delivery_key: string;
        run_id: string | null;
        node_id: string;
        url: string;
        members: number;
        status: string;
        attempts: number;
        http_status: number | null;
        error: string | null;
        updated_at: Date;
      }>(
        `SELECT delivery_key, run_id, node_id, url, members, status, attempts, http_status, error, updated_at FROM webhook_deliveries
         WHERE ($1::uuid IS NULL OR run_id = $1) AND ($2::text IS NULL OR status = $2) ORDER BY updated_at DESC LIMIT $3`,
        [query.runId ?? null, query.status ?? null, query.limit],
      );
      return {
        deliveries: rows.map((d) => ({
          key: d.delivery_key,
          runId: d.run_id,
          nodeId: d.node_id,
          url: d.url,
          members: d.members,
          status: d.status,
          attempts: d.attempts,
          httpStatus: d.http_status,
          error: d.error,
          updatedAt: iso(d.updated_at) as string,
        })),
      };
    },
  }),
];
