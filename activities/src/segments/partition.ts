import { holdoutSeed } from '@huitou/schemas/holdout';
import type pg from 'pg';
import type { Queryable } from '../db/member-set.ts';
import { parseCondition, SegmentQuery } from './compile.ts';
import type { SegmentContext } from './context.ts';
import { SqlParams } from './sql-params.ts';

/**
 * Splits move a cohort's members into child cohorts (activities/src/contract.ts): one UPDATE over
 * the cohort, then the per-target counts. A retried call finds the members already moved and
 * reports the same counts, because targets are fresh cohort ids chosen by the workflow.
 */

export interface CohortAddress {
  readonly runId: string;
  readonly shard: number;
  readonly cohort: string;
}

export type PartitionCounts = Record<string, { treatment: number; holdout: number }>;

export interface SegmentPartition {
  /** In order: the first branch whose condition matches wins. Conditions are validated here. */
  readonly branches: readonly { readonly when: unknown; readonly target: string }[];
  readonly otherwiseTarget: string;
  readonly context: SegmentContext;
}

export async function partitionBySegment(
  db: pg.Pool,
  from: CohortAddress,
  split: SegmentPartition,
): Promise<PartitionCounts> {
  const conditions = split.branches.map((b) => parseCondition(b.when));
  const query = new SegmentQuery(split.context, { runId: from.runId, shard: from.shard, cohort: from.cohort });
  const cases = conditions.map(
    (c, i) => `WHEN ${query.condition(c)} THEN ${query.params.add(split.branches[i].target, 'text')}`,
  );
  const target = `CASE ${cases.join(' ')} ELSE ${query.params.add(split.otherwiseTarget, 'text')} END`;
  const assigned = query.render(`c.id AS customer_id, ${target} AS target`, 'true');
  await moveMembers(db, from, assigned, query.params);
  return countTargets(db, from, [...split.branches.map((b) => b.target), split.otherwiseTarget]);
}

export interface RandomPartition {
  /** Salt of the split (the node id): two random splits in one journey stay independent. */
  readonly salt: string;
  readonly buckets: number;
  /** Arms cover [fromBucket, toBucket); a bucket outside every arm goes to the last arm. */
  readonly arms: readonly { readonly fromBucket: number; readonly toBucket: number; readonly target: string }[];
}

/** bucket = floor(holdoutBucket(holdoutSeed(runId + ':' + salt), customerId) * buckets), as schemas/README.md. */
export async function partitionRandom(
  db: pg.Pool,
  from: CohortAddress,
  split: RandomPartition,
): Promise<PartitionCounts> {
  if (split.arms.length === 0) throw new Error('a random split needs arms');
  const params = new SqlParams();
  const seed = params.add(holdoutSeed(`${from.runId}:${split.salt}`), 'bigint');
  const bucket = `floor(huitou_holdout_bucket(${seed}, m.customer_id) * ${params.add(split.buckets, 'int')})`;
  const cases = split.arms.map(
    (a) =>
      `WHEN ${bucket} >= ${params.add(a.fromBucket, 'int')} AND ${bucket} < ${params.add(a.toBucket, 'int')} THEN ${params.add(a.target, 'text')}`,
  );
  const last = split.arms[split.arms.length - 1].target;
  const assigned = `SELECT m.customer_id, CASE ${cases.join(' ')} ELSE ${params.add(last, 'text')} END AS target
    FROM run_members m WHERE m.run_id = ${params.add(from.runId, 'uuid')} AND m.shard = ${params.add(from.shard, 'int')} AND m.cohort = ${params.add(from.cohort, 'text')}`;
  await moveMembers(db, from, assigned, params);
  return countTargets(
    db,
    from,
    split.arms.map((a) => a.target),
  );
}

async function moveMembers(db: Queryable, from: CohortAddress, assignedSql: string, params: SqlParams): Promise<void> {
  // The assignment is computed once (MATERIALIZED): the cohort's rows in run_members are estimated
  // at one (no statistics for a fresh cohort), and as a plain subquery the planner re-ran the whole
  // assignment for each of them.
  await db.query(
    `WITH a AS MATERIALIZED (${assignedSql})
     UPDATE run_members r SET cohort = a.target
     FROM a
     WHERE r.run_id = ${params.add(from.runId, 'uuid')} AND r.shard = ${params.add(from.shard, 'int')}
       AND r.cohort = ${params.add(from.cohort, 'text')} AND r.customer_id = a.customer_id`,
    params.values,
  );
}

async function countTargets(db: Queryable, from: CohortAddress, targets: readonly string[]): Promise<PartitionCounts> {
  const { rows } = await db.query<{ cohort: string; holdout: boolean; n: number }>(
    `SELECT cohort, holdout, count(*)::int AS n FROM run_members
     WHERE run_id = $1::uuid AND shard = $2::int AND cohort = ANY($3::text[]) GROUP BY 1, 2`,
    [from.runId, from.shard, targets],
  );
  const counts: PartitionCounts = Object.fromEntries(targets.map((t) => [t, { treatment: 0, holdout: 0 }]));
  for (const r of rows) {
    if (r.holdout) counts[r.cohort].holdout += r.n;
    else counts[r.cohort].treatment += r.n;
  }
  return counts;
}
