import type { NodeParams, Segment, SegmentInput } from '@huitou/schemas';
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
  /**
   * The entry's re-entry rule, applied when the run is an occurrence of a recurring schedule,
   * against the journey's earlier runs (see reentryFilter).
   */
  readonly reentry?: Reentry;
}

export type Reentry = NodeParams<'entry.audience'>['reentry'];

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
  if (!Number.isInteger(shardSize) || shardSize < 1)
    throw new Error(`shard size must be a positive integer: ${shardSize}`);
  const compiled = compileSegment(options.segment, options.context);
  const enteredAt = options.context.entryAt ?? options.context.asOf;
  const cohort = options.cohort ?? 'root';

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const run = await client.query<{
      member_count: number | null;
      shard_count: number | null;
      journey_id: string;
      created_at: Date;
      scheduled: boolean;
    }>(
      'SELECT member_count, shard_count, journey_id, created_at, schedule_id IS NOT NULL AS scheduled FROM runs WHERE id = $1::uuid FOR UPDATE',
      [runId],
    );
    if (run.rowCount === 0) throw new Error(`no run ${runId}`);
    if (run.rows[0].member_count !== null) {
      const counts = await memberCounts(client, runId);
      await client.query('COMMIT');
      return { ...counts, cohort, created: false };
    }
    const params = new SqlParams(compiled.params);
    const { journey_id: journeyId, created_at: createdAt, scheduled } = run.rows[0];
    const reentry =
      options.reentry && scheduled
        ? `\n       WHERE ${reentryFilter(params, options.reentry, { runId, journeyId, createdAt, enteredAt })}`
        : '';
    await client.query(
      `INSERT INTO run_members (run_id, customer_id, holdout, shard, cohort, entered_at)
       SELECT ${params.add(runId, 'uuid')}, seg.customer_id,
              huitou_holdout_bucket(${params.add(holdoutSeed(runId), 'bigint')}, seg.customer_id) < ${params.add(holdoutRatio, 'float8')},
              ((row_number() OVER (ORDER BY seg.customer_id) - 1) / ${params.add(shardSize, 'int')})::int,
              ${params.add(cohort, 'text')}, ${params.add(enteredAt, 'timestamptz')}
       FROM (${compiled.sql}) seg${reentry}`,
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

/** Run states whose members are still on their way (after_exit keeps them out of the next occurrence). */
const LIVE_RUN_STATES = ['pending', 'scheduled', 'running', 'paused', 'draining'];

/**
 * Keeps out of a schedule's occurrence the segment members the re-entry rule refuses, judged on
 * the journey's runs created before this one: `never` anyone who was ever a member; `after_exit`
 * members still in a live run (not exited); `cooldown` members who entered within the window
 * before this run's entry instant.
 */
function reentryFilter(
  params: SqlParams,
  rule: Reentry,
  run: { runId: string; journeyId: string; createdAt: Date; enteredAt: Date },
): string {
  const earlier = `pr.journey_id = ${params.add(run.journeyId, 'uuid')} AND pr.id <> ${params.add(run.runId, 'uuid')} AND pr.created_at <= ${params.add(run.createdAt, 'timestamptz')}`;
  return `NOT EXISTS (SELECT 1 FROM run_members pm JOIN runs pr ON pr.id = pm.run_id
                   WHERE pm.customer_id = seg.customer_id AND ${earlier} AND ${refusedBy(params, rule, run.enteredAt)})`;
}

function refusedBy(params: SqlParams, rule: Reentry, enteredAt: Date): string {
  switch (rule.kind) {
    case 'never':
      return 'TRUE';
    case 'after_exit':
      return `pm.exited_at IS NULL AND pr.state = ANY(${params.add(LIVE_RUN_STATES, 'text[]')})`;
    case 'cooldown':
      return `pm.entered_at > ${params.add(new Date(enteredAt.getTime() - rule.cooldownMs), 'timestamptz')}`;
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
