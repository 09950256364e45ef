// Admin: API keys, the audit log, and the engineers' views (custom activities, webhook deliveries).
import { z } from 'zod';
import { DisplayName } from '../text.ts';
import { Limit, Offset, Timestamp } from './common.ts';
import { DateOrInstant } from './journey-report.ts';
import { roles } from './roles.ts';

const RoleSchema = z.enum(roles);
export const CreateKeyBody = z.strictObject({ name: DisplayName(80), role: RoleSchema });
export type CreateKeyRequest = z.input<typeof CreateKeyBody>;
/** The only time the key itself is shown. */
export const CreatedKey = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  prefix: z.string(),
  key: z.string(),
});
export type CreatedKey = z.infer<typeof CreatedKey>;
const KeyOut = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  prefix: z.string(),
  createdBy: z.string().nullable(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
});
export const KeyList = z.object({ keys: z.array(KeyOut) });
export type KeyList = z.infer<typeof KeyList>;

export const AuditQuery = z.strictObject({
  entityType: z.string().max(40).optional(),
  entityId: z.string().max(100).optional(),
  action: z.string().max(60).optional(),
  /** Who, as recorded: key:<id> for an API key, or a job's name. */
  actor: z.string().max(100).optional(),
  from: DateOrInstant.optional().describe("From this instant, or this local day's start (the shop's time zone)"),
  to: DateOrInstant.optional().describe('Before this instant, or up to the end of this local day (inclusive)'),
  limit: Limit,
  offset: Offset,
});
export const AuditLog = z.object({
  /** Entries matching the filters, all pages. */
  total: z.int(),
  /** Every action in the log (the filter's choices), sorted. */
  actions: z.array(z.string()),
  /** Everyone in the log (the filter's choices): an API key's actor comes with the key's name. */
  actors: z.array(z.object({ actor: z.string(), name: z.string().nullable() })),
  entries: z.array(
    z.object({
      id: z.number(),
      at: Timestamp,
      actor: z.string(),
      /** The API key's name when the actor is a key (key:<id>). */
      actorName: z.string().nullable(),
      action: z.string(),
      entityType: z.string(),
      entityId: z.string().nullable(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
});

export type AuditLog = z.infer<typeof AuditLog>;

export const ActivityList = z.object({ builtIn: z.array(z.string()), custom: z.array(z.object({ name: z.string() })) });

export const WebhookQuery = z.strictObject({
  runId: z.string().optional(),
  status: z.enum(['pending', 'done', 'failed']).optional(),
  limit: Limit,
});
export const WebhookDeliveries = z.object({
  deliveries: z.array(
    z.object({
      key: z.string(),
      runId: z.string().nullable(),
      nodeId: z.string(),
      url: z.string(),
      members: z.int(),
      status: z.string(),
      attempts: z.int(),
      httpStatus: z.int().nullable(),
      error: z.string().nullable(),
      updatedAt: Timestamp,
    }),
  ),
});
