// Reading a plan back from storage (Postgres jsonb): its shape is checked and its hash recomputed
// before anything runs it, so a hand-edited or truncated row fails loudly instead of misrouting.
import { z } from 'zod';
import { isNodeTypeId } from '../registry.ts';
import { planHash } from './compile.ts';
import type { ExecutionPlan } from './plan.ts';
import { PLAN_SCHEMA_VERSION } from './plan.ts';
import type { PlanWithoutKind } from './run-kind.ts';
import { entryRunKind, withRunKind } from './run-kind.ts';

/** The envelope the engine relies on; node params were checked by the compiler and are covered by the hash. */
const StoredPlan = z.looseObject({
  planSchemaVersion: z.literal(PLAN_SCHEMA_VERSION),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  entry: z.string(),
  entryType: z.string().refine((t) => t.startsWith('entry.') && isNodeTypeId(t), 'not an entry node type'),
  kind: z.enum(['audience', 'triggered', 'dated']).optional(),
  settings: z.looseObject({}),
  nodes: z.record(
    z.string(),
    z.looseObject({
      id: z.string(),
      type: z.string().refine(isNodeTypeId, 'unknown node type'),
      params: z.unknown(),
      next: z.record(z.string(), z.looseObject({ node: z.string() })),
    }),
  ),
  order: z.array(z.string()),
  checkpoints: z.array(z.string()),
  maxDurationMs: z.number(),
});

export class StoredPlanError extends Error {
  override readonly name = 'StoredPlanError';
}

/**
 * A stored plan, checked: its shape, its entry node, its own hash against its content and against
 * `storedHash` (the plan_hash column, when there is one). Plans stored before plans carried their
 * run kind get it from their entry type. Throws StoredPlanError saying what is wrong.
 */
export function readStoredPlan(json: unknown, storedHash: string | null, what = 'stored plan'): ExecutionPlan {
  const parsed = StoredPlan.safeParse(json);
  if (!parsed.success)
    throw new StoredPlanError(
      `${what} is not a valid execution plan: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  const plan = withRunKind(parsed.data as unknown as PlanWithoutKind);
  if (plan.nodes[plan.entry]?.type !== plan.entryType)
    throw new StoredPlanError(`${what}: its entry node ${plan.entry} is not a ${plan.entryType}`);
  const computed = planHash(plan);
  if (computed !== plan.hash || (storedHash !== null && storedHash !== plan.hash)) {
    throw new StoredPlanError(
      `${what} does not match its hash (content ${computed}, plan ${plan.hash}, stored ${storedHash ?? 'none'}): it was changed after publishing`,
    );
  }
  if (entryRunKind(plan.entryType) !== plan.kind)
    throw new StoredPlanError(`${what}: kind ${plan.kind} does not match its entry ${plan.entryType}`);
  return plan;
}
