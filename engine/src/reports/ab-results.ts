// A/B results: a random split's arms compared with each other on the conversion rate (buyers /
// treatment members: arms are drawn at random, so the rate over members compares like with like),
// with the two-proportion test the holdout lift uses (activities' compareProportions: one definition).
import { compareArms, compareProportions, zeroArmFigures } from '@huitou/activities/evaluation';
import type { ArmFigures } from '@huitou/activities/contract';
import type { ExecutionPlan } from '@huitou/schemas';
import { AB_ALPHA, AB_MIN_MEMBERS, REPORT_FIGURES } from '@huitou/schemas/http';
import type { AbPair, AbSplitReport, AbVerdict } from '@huitou/schemas/http';

export interface AbArmDef {
  key: string;
  name: string;
  percent: number;
}

export interface AbSplitDef {
  nodeId: string;
  label: string | null;
  arms: AbArmDef[];
}

export interface AbArmFigures extends AbArmDef {
  treatment: ArmFigures;
  holdout: ArmFigures;
}

/** The random splits of a plan, arms in their configured order. */
export function randomSplitsOf(plan: ExecutionPlan): AbSplitDef[] {
  return plan.order.flatMap((id) => {
    const node = plan.nodes[id];
    if (node?.type !== 'split.random') return [];
    return [
      {
        nodeId: id,
        label: node.label,
        arms: node.params.arms.map((a) => ({ key: a.port, name: a.name, percent: a.percent })),
      },
    ];
  });
}

/**
 * The (split node, port) steps in a cohort id: a split moves its members to `<cohort>/<node>.<port>`
 * (workflows' childCohort); node ids and port keys hold no '.' or '/', so the steps parse back.
 */
export function cohortSteps(cohort: string): { nodeId: string; port: string }[] {
  return cohort.split('/').flatMap((step) => {
    const dot = step.indexOf('.');
    return dot > 0 ? [{ nodeId: step.slice(0, dot), port: step.slice(dot + 1) }] : [];
  });
}

/** Adds `from` into `into`, figure by figure. */
export function addFigures(into: ArmFigures, from: Partial<ArmFigures>): void {
  for (const f of REPORT_FIGURES) into[f] += Number(from[f] ?? 0);
}

/** `arm` against `versus` on buyers / treatment members; null when either arm has nobody. */
export function comparePair(arm: AbArmFigures, versus: AbArmFigures): AbPair | null {
  const c = compareProportions(
    arm.treatment.buyers,
    arm.treatment.targets,
    versus.treatment.buyers,
    versus.treatment.targets,
    AB_ALPHA,
  );
  if (!c) return null;
  return {
    arm: arm.key,
    versus: versus.key,
    rate: c.treatmentRate,
    versusRate: c.holdoutRate,
    absolute: c.lift,
    relative: c.holdoutRate > 0 ? c.lift / c.holdoutRate : null,
    ciLow: c.ciLow,
    ciHigh: c.ciHigh,
    z: c.z,
    pValue: c.pValue,
    significant: c.significant,
  };
}

const rateOf = (a: AbArmFigures) => (a.treatment.targets > 0 ? a.treatment.buyers / a.treatment.targets : null);

/**
 * The winner rule: every arm has at least AB_MIN_MEMBERS treatment members, and the best-converting
 * arm beats each other arm with p < AB_ALPHA (two-sided two-proportion z-test). Otherwise no winner,
 * and why: too few members, or a difference not significant.
 */
export function abVerdict(arms: readonly AbArmFigures[]): AbVerdict {
  const ranked = arms
    .map((a, i) => ({ a, i, rate: rateOf(a) }))
    .filter((x): x is { a: AbArmFigures; i: number; rate: number } => x.rate !== null)
    .sort((x, y) => y.rate - x.rate || x.i - y.i);
  const leader = ranked[0]?.a ?? null;
  const runnerUp = ranked[1]?.a ?? null;
  const base = { minMembers: AB_MIN_MEMBERS, alpha: AB_ALPHA, leader: leader?.key ?? null };
  const margin = leader && runnerUp ? comparePair(leader, runnerUp) : null;
  if (arms.some((a) => a.treatment.targets < AB_MIN_MEMBERS) || !leader)
    return { ...base, winner: null, reason: 'too_few_members', margin };
  const beatsAll = arms.every((other) => {
    if (other === leader) return true;
    const p = comparePair(leader, other);
    return p !== null && p.significant && p.absolute > 0;
  });
  return beatsAll
    ? { ...base, winner: leader.key, reason: null, margin }
    : { ...base, winner: null, reason: 'not_significant', margin };
}

/** Money rounded as the reports round it (sums of floats carry noise). */
function money(f: ArmFigures | undefined): ArmFigures {
  const out = { ...(f ?? zeroArmFigures()) };
  for (const k of ['sales', 'cost', 'couponValue'] as const) out[k] = Math.round(out[k] * 10_000) / 10_000;
  return out;
}

/** One split's arms side by side (each with its holdout lift), every pair, and the verdict. */
export function abResults(
  split: AbSplitDef,
  at: { checkpoint: string | null; cycle: number },
  figures: ReadonlyMap<string, { treatment: ArmFigures; holdout: ArmFigures }>,
): AbSplitReport {
  const arms: AbArmFigures[] = split.arms.map((def) => {
    const f = figures.get(def.key);
    return { ...def, treatment: money(f?.treatment), holdout: money(f?.holdout) };
  });
  const pairs: AbPair[] = [];
  for (let j = 1; j < arms.length; j++)
    for (let i = 0; i < j; i++) {
      const p = comparePair(arms[j], arms[i]);
      if (p) pairs.push(p);
    }
  return {
    nodeId: split.nodeId,
    label: split.label,
    checkpoint: at.checkpoint,
    cycle: at.cycle,
    arms: arms.map((a) => {
      const c = compareArms(a.treatment, a.holdout);
      return {
        key: a.key,
        name: a.name,
        percent: a.percent,
        treatment: { ...a.treatment, metrics: c.treatment },
        holdout: { ...a.holdout, metrics: c.holdout },
        lift: c.lift,
      };
    }),
    pairs,
    verdict: abVerdict(arms),
  };
}

/** Figures per (split node, port): a member group is added to every random-split arm its cohort passed. */
export class AbTally {
  private readonly bySplit = new Map<string, Map<string, { treatment: ArmFigures; holdout: ArmFigures }>>();

  add(splitIds: ReadonlySet<string>, cohort: string, holdout: boolean, figures: Partial<ArmFigures>): void {
    // In a repeat a split draws again each cycle: the member's arm is its last draw.
    const last = new Map<string, string>();
    for (const { nodeId, port } of cohortSteps(cohort)) if (splitIds.has(nodeId)) last.set(nodeId, port);
    for (const [nodeId, port] of last) {
      let arms = this.bySplit.get(nodeId);
      if (!arms) this.bySplit.set(nodeId, (arms = new Map()));
      let arm = arms.get(port);
      if (!arm) arms.set(port, (arm = { treatment: zeroArmFigures(), holdout: zeroArmFigures() }));
      addFigures(holdout ? arm.holdout : arm.treatment, figures);
    }
  }

  of(nodeId: string): ReadonlyMap<string, { treatment: ArmFigures; holdout: ArmFigures }> {
    return this.bySplit.get(nodeId) ?? new Map();
  }

  get splits(): string[] {
    return [...this.bySplit.keys()];
  }
}
