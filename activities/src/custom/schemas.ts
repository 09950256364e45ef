import { z } from 'zod';

/**
 * Zod shapes of the runtime contract (activities/src/contract.ts), for custom activities that run
 * over a cohort like the built-in actions: `nodeCallInput(z.object({...params}))` as input,
 * `actionResultOutput` as output.
 */
export const cohortRefSchema = z.object({ runId: z.uuid(), shard: z.int().min(0), cohort: z.string().min(1) });

export const cycleStateSchema = z.object({ loop: z.string(), cycle: z.int().min(1), startedAt: z.number() });

export function nodeCallInput<P extends z.ZodType>(params: P) {
  return z.looseObject({
    ref: cohortRefSchema,
    journeyId: z.string(),
    versionId: z.string(),
    nodeId: z.string().min(1),
    params,
    cycles: z.array(cycleStateSchema),
    enteredAt: z.number(),
    now: z.number(),
    triggerKey: z.string().optional(),
  });
}

export const actionResultOutput = z.object({
  treatment: z.int().min(0),
  holdout: z.int().min(0),
  done: z.int().min(0),
  alreadyDone: z.int().min(0),
  skipped: z.record(z.string(), z.int().min(0)),
  segments: z.number().min(0).optional(),
  cost: z.number().min(0).optional(),
});
