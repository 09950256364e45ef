// A run's A/B results from its report rows: each row is a checkpoint measured on one cohort, and a
// cohort below a random split belongs to one of its arms. Arms are compared at checkpoints of the
// same name and cycle (one after the arms meet again, or one per arm named alike).
import type { AbSplitReport, ReportRow } from '@huitou/schemas/http';
import type { Db } from '../db/transaction.ts';
import { loadPlans } from '../plans/load-plan.ts';
import { AbTally, abResults, cohortSteps, randomSplitsOf } from './ab-results.ts';

export async function runAbResults(db: Db, runId: string, rows: readonly ReportRow[]): Promise<AbSplitReport[]> {
  // Only a cohort that went through a split needs the plan (report fixtures have none).
  if (!rows.some((r) => cohortSteps(r.group).length > 0)) return [];
  const { rows: run } = await db.query<{ version_id: string }>('SELECT version_id FROM runs WHERE id = $1', [runId]);
  if (!run[0]) return [];
  const plan = (await loadPlans(db, [run[0].version_id])).get(run[0].version_id);
  if (!plan) return [];
  const splits = randomSplitsOf(plan);
  const splitIds = new Set(splits.map((s) => s.nodeId));
  // Per checkpoint and cycle, in the rows' order (by window start).
  const tallies = new Map<string, { checkpoint: string; cycle: number; tally: AbTally }>();
  for (const r of rows) {
    if (!cohortSteps(r.group).some((s) => splitIds.has(s.nodeId))) continue;
    const key = JSON.stringify([r.checkpoint, r.cycle]);
    let t = tallies.get(key);
    if (!t) tallies.set(key, (t = { checkpoint: r.checkpoint, cycle: r.cycle, tally: new AbTally() }));
    t.tally.add(splitIds, r.group, false, r.treatment);
    t.tally.add(splitIds, r.group, true, r.holdout);
  }
  return [...tallies.values()].flatMap(({ checkpoint, cycle, tally }) =>
    splits
      .filter((s) => tally.splits.includes(s.nodeId))
      .map((s) => abResults(s, { checkpoint, cycle }, tally.of(s.nodeId))),
  );
}
