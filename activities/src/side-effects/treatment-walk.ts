import type pg from 'pg';
import type { CohortRef } from '../contract.ts';
import { blocksSideEffects, currentState, heartbeat } from './guards.ts';
import { DEFAULT_BATCH_SIZE, treatmentPages } from './members.ts';
import type { ResultTally } from './result.ts';

export interface TreatmentWalk {
  pool: pg.Pool;
  ref: CohortRef;
  /** Size of the treatment arm: what is left when a pause or stop cuts the walk short. */
  treatment: number;
  tally: ResultTally;
  batchSize?: number;
}

/**
 * Runs `work` over the cohort's treatment arm page by page, re-checking the journey state before
 * each page: a pause or stop defers the rest (counted in the tally) for a later call to pick up.
 */
export async function forEachTreatmentPage(walk: TreatmentWalk, work: (ids: number[]) => Promise<void>): Promise<void> {
  let processed = 0;
  for await (const ids of treatmentPages(walk.pool, walk.ref, walk.batchSize ?? DEFAULT_BATCH_SIZE)) {
    heartbeat({ processed });
    const state = await currentState(walk.pool, walk.ref.runId);
    if (blocksSideEffects(state)) {
      walk.tally.skip(state, walk.treatment - processed);
      return;
    }
    await work(ids);
    processed += ids.length;
  }
}
