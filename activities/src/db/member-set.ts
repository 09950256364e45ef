import type pg from 'pg';

/** Anything that runs a query: a pool, or a client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string | pg.QueryConfig,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/**
 * A set of customers the runtime works on: the members of a run (optionally one shard, one
 * cohort, one side of the holdout, only those still in the journey), or explicit customer ids (a triggered journey's
 * set of one, or a split's part). Members stay in the database; only this reference travels.
 */
export type MemberSet =
  | {
      readonly runId: string;
      readonly shard?: number;
      /** One cohort of the shard (or run): see activities/src/contract.ts. */
      readonly cohort?: string;
      readonly holdout?: boolean;
      /** Leave out members who already exited the journey. */
      readonly activeOnly?: boolean;
    }
  | { readonly customerIds: readonly number[] };

/**
 * SQL for a `members(customer_id, holdout)` CTE body (holdout is null for explicit ids), with its
 * values appended to `params`. Every value is a bound parameter; only fixed fragments are joined.
 */
export function memberSetSql(members: MemberSet, params: unknown[]): string {
  if ('customerIds' in members) {
    for (const id of members.customerIds) assertCustomerId(id);
    params.push(members.customerIds);
    return `SELECT DISTINCT customer_id, NULL::boolean AS holdout FROM unnest($${params.length}::bigint[]) AS ids(customer_id)`;
  }
  if (!UUID.test(members.runId)) throw new Error(`not a run id: ${JSON.stringify(members.runId)}`);
  // Through huitou_run_members (migration 050): the planner has no statistics for a fresh cohort.
  const at = params.length;
  params.push(
    members.runId,
    members.shard ?? null,
    members.cohort ?? null,
    null,
    members.holdout ?? null,
    members.activeOnly ?? false,
  );
  return `SELECT customer_id, holdout FROM huitou_run_members($${at + 1}::uuid, $${at + 2}::int, $${at + 3}::text, $${at + 4}::text, $${at + 5}::boolean, $${at + 6}::boolean)`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function assertCustomerId(id: number): void {
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`not a customer id: ${String(id)}`);
}

/** bigint columns arrive as strings from pg; customer ids fit in a JS number. */
export function toCustomerId(value: string | number): number {
  const id = Number(value);
  assertCustomerId(id);
  return id;
}
