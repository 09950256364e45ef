// GET /api/ready: whether this engine can do its work now (a load balancer or an orchestrator asks
// before sending traffic; GET /api/health only says the process answers).
import { z } from 'zod';

export const ReadinessCheck = z.object({
  ok: z.boolean(),
  /** How long the check took. */
  ms: z.number().nonnegative(),
  /** Why it failed, in a word or two (e.g. "timed out", "ECONNREFUSED"); never a connection string. */
  error: z.string().optional(),
});
export type ReadinessCheck = z.infer<typeof ReadinessCheck>;

/** 200 when every check passed, 503 naming the ones that failed. */
export const ReadyResponse = z.object({
  ready: z.boolean(),
  checks: z.object({ postgres: ReadinessCheck, temporal: ReadinessCheck }),
});
export type ReadyResponse = z.infer<typeof ReadyResponse>;
