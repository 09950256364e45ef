import type { Queryable } from './members.ts';

export interface LedgerContext {
  kind: 'coupon' | 'task' | 'tag' | 'webhook' | 'custom';
  runId: string;
  nodeId: string;
  cyclePath: string;
  prefix: string;
}

/** Existing action_ledger rows of a batch, by customer. */
export async function existingActions(
  db: Queryable,
  prefix: string,
  ids: number[],
): Promise<Map<number, { status: string; skipReason: string | null }>> {
  const { rows } = await db.query<{ customer_id: string; status: string; skip_reason: string | null }>(
    `SELECT customer_id, status, skip_reason FROM action_ledger WHERE action_key = ANY(SELECT $1 || id::text FROM unnest($2::bigint[]) AS u(id))`,
    [prefix, ids],
  );
  return new Map(rows.map((r) => [Number(r.customer_id), { status: r.status, skipReason: r.skip_reason }]));
}

/** Records per-member outcomes; returns the customers whose row this call created. */
export async function recordActions(
  db: Queryable,
  ctx: LedgerContext,
  rows: { customerId: number; status: 'done' | 'skipped'; skipReason?: string; detail?: unknown }[],
): Promise<Set<number>> {
  if (rows.length === 0) return new Set();
  const { rows: created } = await db.query<{ customer_id: string }>(
    `INSERT INTO action_ledger (action_key, kind, run_id, node_id, cycle_path, customer_id, status, skip_reason, detail)
     SELECT $1 || u.id::text, $2, $3::uuid, $4, $5, u.id, u.status, u.reason, u.detail
     FROM unnest($6::bigint[], $7::text[], $8::text[], $9::jsonb[]) AS u(id, status, reason, detail)
     ON CONFLICT (action_key) DO NOTHING RETURNING customer_id`,
    [
      ctx.prefix,
      ctx.kind,
      ctx.runId,
      ctx.nodeId,
      ctx.cyclePath,
      rows.map((r) => r.customerId),
      rows.map((r) => r.status),
      rows.map((r) => r.skipReason ?? null),
      rows.map((r) => JSON.stringify(r.detail ?? {})),
    ],
  );
  return new Set(created.map((r) => Number(r.customer_id)));
}
