// admitCohort / moveMembers: the bookkeeping of a triggered cohort (workflows/src/cohort.ts). A batch of
// entries is admitted in one transaction: the keys are claimed in trigger_entries (a key decided
// before is a duplicate), the members are written with their own trigger key, triggering order and
// event time, the entry filter keeps those it matches, and the result is read back from the rows,
// so a retried call returns what the first attempt admitted.
import { namedStatement } from '../db/statement.ts';
import { assignHoldout } from '@huitou/schemas/holdout';
import { Segment } from '@huitou/schemas';
import type pg from 'pg';
import { compileSegment } from '../segments/compile.ts';
import { inTransaction } from '../side-effects/members.ts';
import type { AdmitCohortCall, AdmitCohortResult, CohortEvent, MoveMembersCall } from '../contract.ts';
import type { FlowDeps } from './types.ts';

const COHORT_ADMIT = namedStatement(
  'cohort.admit',
  `WITH cand AS (
     SELECT * FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::boolean[], $8::text[])
       AS u(key, customer_id, order_id, at_ms, holdout, cohort)),
   claimed AS (
     INSERT INTO trigger_entries (journey_id, trigger_key, workflow_id, run_id, customer_id)
     SELECT $1::uuid, cand.key, $9, $2::uuid, cand.customer_id FROM cand
     WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.journey_id = $1::uuid AND r.trigger_key = cand.key)
     ON CONFLICT (journey_id, trigger_key) DO UPDATE
       SET workflow_id = EXCLUDED.workflow_id, run_id = EXCLUDED.run_id, customer_id = EXCLUDED.customer_id
       WHERE trigger_entries.admitted IS NULL
     RETURNING trigger_key)
   INSERT INTO run_members (run_id, customer_id, holdout, shard, cohort, entered_at, trigger_key, trigger_order_id)
   SELECT DISTINCT ON (cand.customer_id) $2::uuid, cand.customer_id, cand.holdout, 0, cand.cohort,
          to_timestamp(cand.at_ms / 1000.0), cand.key, cand.order_id
   FROM cand JOIN claimed ON claimed.trigger_key = cand.key
   ORDER BY cand.customer_id, cand.at_ms, cand.key
   ON CONFLICT (run_id, customer_id) DO NOTHING`,
);

const COHORT_MARK_ADMITTED = namedStatement(
  'cohort.mark_admitted',
  `UPDATE trigger_entries t SET admitted = m.customer_id IS NOT NULL, admitted_at = $4::timestamptz
   FROM unnest($3::text[]) AS u(key)
   LEFT JOIN run_members m ON m.run_id = $2::uuid AND m.trigger_key = u.key
   WHERE t.journey_id = $1::uuid AND t.trigger_key = u.key AND t.run_id = $2::uuid AND t.admitted IS NULL
     AND (m.customer_id IS NOT NULL OR NOT EXISTS (
       SELECT 1 FROM run_members o WHERE o.run_id = $2::uuid AND o.customer_id = t.customer_id))`,
);

type Arms = { treatment: number; holdout: number };

/** A filter that lets everyone in needs no query. */
function filterOf(filter: AdmitCohortCall['filter']): Segment | null {
  if (filter === null) return null;
  const segment = Segment.parse(filter);
  const everyone = segment.where.kind === 'all' && segment.where.of.length === 0 && segment.exclude.length === 0;
  return everyone ? null : segment;
}

/** The end of the second an instant falls in (an instant on a second boundary is its own end). */
const secondEnd = (at: number) => Math.ceil(at / 1000) * 1000;

async function admit(pool: pg.Pool, call: AdmitCohortCall): Promise<AdmitCohortResult> {
  const staging = `s${call.seq}`;
  const prefix = `a${call.seq}.`;
  const filter = filterOf(call.filter);
  // First entry per key (a batch may repeat one).
  const entries = [...new Map(call.entries.filter((e) => e.entry).map((e) => [e.key, e])).values()];
  return inTransaction(pool, async (db) => {
    const run = await db.query<{ id: string; holdout_ratio: number }>(
      `INSERT INTO runs (journey_id, version_id, kind, state, trigger_key, workflow_id, entered_at, holdout_ratio, started_at, member_count, shard_count)
       VALUES ($1::uuid, $2::uuid, 'triggered', 'running', $3, $4, $5, $6, $5, 0, 1)
       ON CONFLICT (journey_id, trigger_key) DO UPDATE SET workflow_id = EXCLUDED.workflow_id,
         -- A cohort that ended and is started again by a late entry (the sweep) runs again.
         state = CASE WHEN runs.state = 'completed' THEN 'running' ELSE runs.state END,
         ended_at = CASE WHEN runs.state = 'completed' THEN NULL ELSE runs.ended_at END
       RETURNING id, holdout_ratio`,
      [
        call.journeyId,
        call.versionId,
        call.runKey,
        call.workflowId,
        new Date(call.now),
        call.settings.holdoutPercent / 100,
      ],
    );
    const runId = run.rows[0].id;
    const ratio = run.rows[0].holdout_ratio;
    if (entries.length > 0) {
      // Claim, write members (a customer already in the run under another key is left out: busy),
      // in one statement. Keys with a one-member run of the old design count as admitted before.
      await db.query(
        COHORT_ADMIT([
          call.journeyId,
          runId,
          entries.map((e) => e.key),
          entries.map((e) => e.customerId),
          entries.map((e) => e.orderId),
          entries.map((e) => e.at),
          entries.map((e) => assignHoldout(runId, e.customerId, ratio)),
          entries.map((e) => (filter ? staging : `${prefix}${secondEnd(e.at) / 1000}`)),
          call.workflowId,
        ]),
      );
      if (filter) await applyFilter(db, call, runId, filter, staging, prefix);
      // Decide the claimed keys: admitted when a member holds them, else rejected, unless their
      // customer is here under another key (busy: stays undecided for a later cohort).
      await db.query(COHORT_MARK_ADMITTED([call.journeyId, runId, entries.map((e) => e.key), new Date(call.now)]));
      await db.query(
        'UPDATE runs SET member_count = (SELECT count(*) FROM run_members WHERE run_id = $1::uuid) WHERE id = $1::uuid',
        [runId],
      );
    }
    return readBack(db, call, runId, entries, prefix);
  });
}

/** Members the filter matches move from staging to their second's cohort; the others are no members. */
async function applyFilter(
  db: pg.PoolClient,
  call: AdmitCohortCall,
  runId: string,
  filter: Segment,
  staging: string,
  prefix: string,
): Promise<void> {
  const compiled = compileSegment(
    filter,
    { asOf: new Date(call.now), timeZone: call.settings.timeZone, triggerOrderOfRun: runId },
    { members: { runId, shard: 0, cohort: staging } },
  );
  const n = compiled.params.length;
  await db.query(
    `UPDATE run_members m SET cohort = $${n + 3} || ceil(extract(epoch FROM m.entered_at))::bigint::text
     WHERE m.run_id = $${n + 1}::uuid AND m.shard = 0 AND m.cohort = $${n + 2}
       AND m.customer_id IN (${compiled.sql})`,
    [...compiled.params, runId, staging, prefix],
  );
  await db.query('DELETE FROM run_members WHERE run_id = $1::uuid AND shard = 0 AND cohort = $2', [runId, staging]);
}

/** The admission's cohorts as the rows have them (the same on a retry), and the entries left busy. */
async function readBack(
  db: pg.PoolClient,
  call: AdmitCohortCall,
  runId: string,
  entries: CohortEvent[],
  prefix: string,
): Promise<AdmitCohortResult> {
  const { rows } = await db.query<{ cohort: string; holdout: boolean; n: number }>(
    `SELECT cohort, holdout, count(*)::int AS n FROM run_members
     WHERE run_id = $1::uuid AND shard = 0 AND left(cohort, length($2)) = $2 AND position('/' IN cohort) = 0
     GROUP BY cohort, holdout`,
    [runId, prefix],
  );
  const groups = new Map<string, Arms>();
  for (const r of rows) {
    const arms = groups.get(r.cohort) ?? { treatment: 0, holdout: 0 };
    arms[r.holdout ? 'holdout' : 'treatment'] += r.n;
    groups.set(r.cohort, arms);
  }
  const open = await db.query<{ trigger_key: string }>(
    `SELECT trigger_key FROM trigger_entries WHERE journey_id = $1::uuid AND trigger_key = ANY($2::text[]) AND admitted IS NULL`,
    [call.journeyId, entries.map((e) => e.key)],
  );
  const busyKeys = new Set(open.rows.map((r) => r.trigger_key));
  const busy = entries.filter((e) => busyKeys.has(e.key));
  const admitted = [...groups.values()].reduce((sum, a) => sum + a.treatment + a.holdout, 0);
  return {
    runId,
    // Sorted by id so the workflow places them in a fixed order.
    groups: [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([cohort, arms]) => ({ cohort, at: Number(cohort.slice(prefix.length)) * 1000, ...arms })),
    rejected: entries.length - admitted - busy.length,
    busy,
  };
}

export function cohortActivities({ pool }: FlowDeps) {
  return {
    admitCohort: (call: AdmitCohortCall) => admit(pool, call),

    /** Idempotent: a retry finds the members already in `target` and counts them the same. */
    async moveMembers(call: MoveMembersCall): Promise<Arms> {
      const { runId, shard, cohort } = call.ref;
      await pool.query(
        `UPDATE run_members SET cohort = $4 WHERE run_id = $1::uuid AND shard = $2 AND cohort = $3
         AND trigger_key = ANY($5::text[])`,
        [runId, shard, cohort, call.target, call.keys],
      );
      const { rows } = await pool.query<{ holdout: boolean; n: number }>(
        'SELECT holdout, count(*)::int AS n FROM run_members WHERE run_id = $1::uuid AND shard = $2 AND cohort = $3 GROUP BY holdout',
        [runId, shard, call.target],
      );
      const arms = { treatment: 0, holdout: 0 };
      for (const r of rows) arms[r.holdout ? 'holdout' : 'treatment'] += r.n;
      return arms;
    },
  };
}
