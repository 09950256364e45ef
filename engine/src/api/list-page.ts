// One page of a staff list and the size of the whole list, for the paged lists of the builder's
// data pages (imports history, schedules, opt-outs).
import type { QueryResultRow } from 'pg';
import type { Db } from '../db/transaction.ts';

/** The name of the key an `actor` column names (`key:<id>`), joined as `k`. */
export const keyNameJoin = (actorColumn: string) => `LEFT JOIN api_keys k ON ${actorColumn} = 'key:' || k.id::text`;

export interface ListPageQuery {
  /** What each row selects. */
  columns: string;
  /** FROM, joins and WHERE, over `args` ($1...). */
  from: string;
  /** ORDER BY of the page; ends with a unique column, so pages never overlap. */
  order: string;
  args: readonly unknown[];
  limit: number;
  offset: number;
}

export async function listPage<R extends QueryResultRow>(
  db: Db,
  q: ListPageQuery,
): Promise<{ rows: R[]; total: number }> {
  const n = q.args.length;
  const { rows } = await db.query<R>(
    `SELECT ${q.columns} ${q.from} ORDER BY ${q.order} LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...q.args, q.limit, q.offset],
  );
  const { rows: counted } = await db.query<{ n: number }>(`SELECT count(*)::int AS n ${q.from}`, [...q.args]);
  return { rows, total: counted[0]?.n ?? 0 };
}
