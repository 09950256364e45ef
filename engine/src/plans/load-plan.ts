// The one way the engine reads a published plan back: by version id, checked by readStoredPlan
// (shape, entry, hash against content and the plan_hash column; the run kind filled for plans
// stored before plans carried it). Versions are immutable, so a checked plan is cached by version
// id: the event router asks for its listeners' plans on every batch.
import { readStoredPlan } from '@huitou/schemas';
import type { ExecutionPlan } from '@huitou/schemas';
import type { Db } from '../db/transaction.ts';

const CACHE_LIMIT = 1000;
const cache = new Map<string, ExecutionPlan>();

function remember(versionId: string, plan: ExecutionPlan): void {
  // Oldest first out: a Map iterates in insertion order.
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(versionId, plan);
}

/** The checked plans of the given versions (in one query for those not cached); a missing version throws. */
export async function loadPlans(db: Db, versionIds: readonly string[]): Promise<Map<string, ExecutionPlan>> {
  const out = new Map<string, ExecutionPlan>();
  const missing = new Set<string>();
  for (const id of versionIds) {
    const hit = cache.get(id);
    if (hit) out.set(id, hit);
    else missing.add(id);
  }
  if (missing.size === 0) return out;
  const { rows } = await db.query<{ id: string; plan: unknown; plan_hash: string | null }>(
    'SELECT id, plan, plan_hash FROM journey_versions WHERE id = ANY($1::uuid[])',
    [[...missing]],
  );
  for (const r of rows) {
    const plan = Object.freeze(readStoredPlan(r.plan, r.plan_hash, `the plan of journey version ${r.id}`));
    remember(r.id, plan);
    out.set(r.id, plan);
  }
  for (const id of missing) if (!out.has(id)) throw new Error(`journey version ${id} not found`);
  return out;
}

/** One version's checked plan (see loadPlans). */
export async function loadPlan(db: Db, versionId: string): Promise<ExecutionPlan> {
  return (await loadPlans(db, [versionId])).get(versionId) as ExecutionPlan;
}
