import type { ActionResult } from '../contract.ts';

/** Accumulates an ActionResult over batches. Invariant: treatment = done + alreadyDone + sum(skipped). */
export class ResultTally {
  done = 0;
  alreadyDone = 0;
  readonly skipped: Record<string, number> = {};
  segments = 0;
  cost = 0;

  skip(reason: string, n = 1): void {
    if (n > 0) this.skipped[reason] = (this.skipped[reason] ?? 0) + n;
  }

  result(arms: { treatment: number; holdout: number }, withBilling = false): ActionResult {
    const base: ActionResult = {
      ...arms,
      done: this.done,
      alreadyDone: this.alreadyDone,
      skipped: { ...this.skipped },
    };
    // Rounded to the ledger's precision so sums of many unit prices do not drift.
    return withBilling ? { ...base, segments: this.segments, cost: Math.round(this.cost * 10_000) / 10_000 } : base;
  }
}
