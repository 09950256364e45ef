import { describe, expect, it } from 'vitest';
import { StoredPlanError, compileJourney, journeyTemplates, planHash, readStoredPlan } from '@huitou/schemas';
import type { ExecutionPlan } from '@huitou/schemas';

const compile = (graph: unknown): ExecutionPlan => {
  const result = compileJourney(graph);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
};
/** As Postgres hands a jsonb column back. */
const stored = (plan: unknown) => JSON.parse(JSON.stringify(plan)) as Record<string, unknown>;

describe('run kinds and stored plans', () => {
  it.each([
    ['newBuyer1111', 'audience'],
    ['paymentReminder', 'triggered'],
    ['birthdayCare', 'dated'],
  ])('%s compiles to a %s plan', (id, kind) => {
    expect(compile(journeyTemplates[id]).kind).toBe(kind);
  });

  it('leaves the kind out of the hash: a plan stored before plans had it verifies and gets it', () => {
    const plan = compile(journeyTemplates.birthdayCare);
    const { kind: _kind, ...legacy } = stored(plan);
    expect(planHash(legacy as never)).toBe(plan.hash);
    const read = readStoredPlan(legacy, plan.hash);
    expect(read.kind).toBe('dated');
    expect(read.hash).toBe(plan.hash);
  });

  it('rejects a plan changed after publishing, a wrong stored hash, a wrong kind and a broken shape', () => {
    const plan = stored(compile(journeyTemplates.paymentReminder));
    expect(readStoredPlan(plan, plan.hash as string).kind).toBe('triggered');
    expect(() => readStoredPlan({ ...plan, maxDurationMs: 1 }, null)).toThrow(StoredPlanError);
    expect(() => readStoredPlan(plan, '0'.repeat(64))).toThrow(/does not match its hash/);
    expect(() => readStoredPlan({ ...plan, kind: 'audience' }, null)).toThrow(/does not match its entry/);
    expect(() => readStoredPlan({ ...plan, nodes: 'x' }, null)).toThrow(/not a valid execution plan/);
  });
});
