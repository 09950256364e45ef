import type { Segment, SegmentInput } from '@huitou/schemas';
import { holdoutSeed } from '@huitou/schemas/holdout';
import type pg from 'pg';
import { compileSegment } from './compile.ts';
import type { SegmentContext } from './context.ts';
import { SqlParams } from './sql-params.ts';

export interface SnapshotOptions {
  readonly runId: string;
  readonly segment: SegmentInput | Segment;
  readonly context: SegmentContext;
  /** Held-out share, 0 <= ratio < 1 (journey settings give a percent: divide by 100). */
  readonly holdoutRatio: number;
  /** Members per shard workflow. */
  readonly shardSize: number;
  /** The cohort every shard's members start in (default `root`). */
  readonly cohort?: string;
}

export interface SnapshotResult {
  readonly members: number;
  readonly holdout: number;
  readonly shards: number;
  readonly cohort: string;
  /** False when the run already had its snapshot (a retried activity): nothing was written. */
  readonly created: boolean;
}

/**
 * Freezes an audience into run_members: one INSERT ... SELECT, so members stream inside the
 * server and this process holds none of them, whatever the size. Holdout is the deterministic
 * hash of run id and customer id (the same function as @huitou/schemas/holdout); shards are
 * consecutive runs of `shardSize` customers in id order. Idempotent per run.
 */
export async function snapshotAudience(pool: pg.Pool, options: SnapshotOptions): Promise<SnapshotResult> {
  const { runId, holdoutRatio, shardSize } = options;
  if (!(holdoutRatio >= 0 && holdoutRatio < 1)) throw new Error(`holdout ratio must be in [0, 1): ${holdoutRatio}`);
  if (!Number.isInteger(shardSize) || shardSize < 1) throw new Error(`shard size must be a positive integer: ${shardSize}`);
  const compiled = compileSegment(options.segment, options.context);
  const enteredAt = options.context.entryAt ?? options.context.asOf;
  const cohort = options.cohort ?? 'root';

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const run = await client.query<{ member_count: number | null; shard_count: number | null }>(
      'SELECT member_count, shard_count FROM runs WHERE id = $1::uuid FOR UPDATE',
      [runId],
    );
    if (run.rowCount === 0) throw new Error(`no run ${runId}`);
    if (run.rows[0].member_count !== null) {
      const counts = await memberCounts(client, runId);
      await client.query('COMMIT');
      return { ...counts, cohort, created: false };
    }
    const params = new SqlParams(compiled.params);
    await client.query(
      `INSERT INTO run_members (run_id, customer_id, holdout, shard, cohort, entered_at)
       SELECT ${params.add(runId, 'uuid')}, seg.customer_id,
              huitou_holdout_bucket(${params.add(holdoutSeed(runId), 'bigint')}, seg.customer_id) < ${params.add(holdoutRatio, 'float8')},
              ((row_number() OVER (ORDER BY seg.customer_id) - 1) / ${params.add(shardSize, 'int')})::int,
              ${params.add(cohort, 'text')}, ${params.add(enteredAt, 'timestamptz')}
       FROM (${compiled.sql}) seg`,
      params.values,
    );
    const counts = await memberCounts(client, runId);
    await client.query(
      `UPDATE runs SET member_count = $2, shard_count = $3, holdout_ratio = $4, shard_size = $5, segment = $6::jsonb, entered_at = $7
       WHERE id = $1::uuid`,
      [runId, counts.members, counts.shards, holdoutRatio, shardSize, JSON.stringify(compiled.segment), enteredAt],
    );
    await client.query('COMMIT');
    return { ...counts, cohort, created: true };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function memberCounts(client: pg.PoolClient, runId: string): Promise<Omit<SnapshotResult, 'created' | 'cohort'>> {
  const { rows } = await client.query<{ members: number; holdout: number; shards: number }>(
    `SELECT count(*)::int AS members, count(*) FILTER (WHERE holdout)::int AS holdout, coalesce(max(shard) + 1, 0)::int AS shards
     FROM run_members WHERE run_id = $1::uuid`,
    [runId],
  );
  return rows[0];
}
