// Every write and every ops action is recorded in audit_log, in the same transaction as the change
// it describes, so the log never claims something that was rolled back (or misses what was kept).
import type { Db } from './db/transaction.ts';

/** Who did it: a job's name, or an API key's actor and role (the API's Principal). */
export interface Actor {
  actor: string;
  role: string;
}

export async function audit(
  db: Db,
  who: Actor | string,
  action: string,
  entity: { type: string; id?: string | null },
  details: Record<string, unknown> = {},
): Promise<void> {
  const actor = typeof who === 'string' ? who : who.actor;
  await db.query(
    'INSERT INTO audit_log (actor, action, entity_type, entity_id, details) VALUES ($1, $2, $3, $4, $5::jsonb)',
    [
      actor,
      action,
      entity.type,
      entity.id ?? null,
      JSON.stringify(typeof who === 'string' ? details : { role: who.role, ...details }),
    ],
  );
}
