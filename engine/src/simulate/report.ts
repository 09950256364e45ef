// The answer of a simulation: per node what would pass, be sent, cost and be issued, plus the
// expected (natural) responses at every checkpoint and for the whole journey.
import type pg from 'pg';
import type { ExecutionPlan } from '@huitou/schemas';
import type { FollowUpRate, SimulatedMessage, SimulationPopulation } from '@huitou/schemas/http';
import type { NodeCounts } from '@huitou/workflows';
import type { ActionFigures, CouponFigures, LedgerFigures, SmsFigures } from './figures.ts';
import { naturalRates } from './natural-response.ts';
import type { NaturalRate } from './natural-response.ts';

export interface ExpectedResponses {
  /** Treatment members measured (checkpoints) or in the journey (summary). */
  treatment: number;
  natural: NaturalRate;
  /** treatment x natural.rate, rounded. */
  responses: number;
}

export interface SimulatedNode {
  id: string;
  type: string;
  label: string | null;
  /** Members that arrived (a repeat counts each cycle), ended here, and left by each port. */
  entered: number;
  exited: number;
  ports: Record<string, number>;
  sms?: SmsFigures;
  coupons?: CouponFigures;
  actions?: ActionFigures;
  expected?: ExpectedResponses;
}

export interface SimulationReport {
  audience: { kind: 'demo_shop'; customers: number } | { kind: 'customer'; customerId: number };
  /** Sandbox (server) time the run started and ended; the journey's own calendar. */
  startedAt: string;
  endedAt: string;
  simulatedDays: number;
  /** The audience run's id in the sandbox (derived from the plan, so the holdout is reproducible). */
  runId: string | null;
  members: number;
  holdout: number;
  totals: {
    smsSent: number;
    smsSegments: number;
    smsCost: number;
    couponsIssued: number;
    couponValue: number;
    expected: ExpectedResponses;
  };
  nodes: SimulatedNode[];
  population: SimulationPopulation;
  followUps: FollowUpRate[];
  /** One customer's simulation: that customer's messages in time order. */
  timeline?: SimulatedMessage[];
}

const DAY = 86_400_000;
const expected = (treatment: number, natural: NaturalRate): ExpectedResponses => ({
  treatment,
  natural,
  responses: Math.round(treatment * natural.rate),
});

export async function simulationReport(input: {
  plan: ExecutionPlan;
  audience: SimulationReport['audience'];
  runId: string | null;
  members: number;
  holdout: number;
  counts: NodeCounts;
  population: SimulationPopulation;
  followUps: FollowUpRate[];
  timeline: SimulatedMessage[] | undefined;
  startedAt: number;
  endedAt: number;
  ledgers: LedgerFigures;
  pool: pg.Pool;
}): Promise<SimulationReport> {
  const { plan, counts, ledgers } = input;
  const rate = naturalRates(input.pool);
  const nodes: SimulatedNode[] = [];
  for (const id of nodeOrder(plan)) {
    const node = plan.nodes[id];
    const c = counts[id];
    const out: SimulatedNode = {
      id,
      type: node.type,
      label: node.label,
      entered: c?.entered ?? 0,
      exited: c?.exited ?? 0,
      ports: { ...c?.ports },
    };
    const sms = ledgers.sms.get(id);
    if (sms) out.sms = { ...sms, cost: round(sms.cost) };
    const coupons = ledgers.coupons.get(id);
    if (coupons) out.coupons = coupons;
    const actions = ledgers.actions.get(id);
    if (actions) out.actions = actions;
    const checkpoint = ledgers.checkpoints.get(id);
    if (checkpoint) {
      // Every evaluation has its own window; the rate is taken per window length and summed.
      let responses = 0;
      let natural: NaturalRate | undefined;
      for (const w of checkpoint.windows) {
        natural = await rate(w.end.getTime() - w.start.getTime());
        responses += w.treatmentTargets * natural.rate;
      }
      if (natural) out.expected = { treatment: checkpoint.treatmentTargets, natural, responses: Math.round(responses) };
    }
    nodes.push(out);
  }
  const sum = (pick: (n: SimulatedNode) => number) => nodes.reduce((s, n) => s + pick(n), 0);
  const span = Math.max(0, input.endedAt - input.startedAt);
  return {
    audience: input.audience,
    startedAt: new Date(input.startedAt).toISOString(),
    endedAt: new Date(input.endedAt).toISOString(),
    simulatedDays: Math.round((span / DAY) * 10) / 10,
    runId: input.runId,
    members: input.members,
    holdout: input.holdout,
    totals: {
      smsSent: sum((n) => n.sms?.sent ?? 0),
      smsSegments: sum((n) => n.sms?.segments ?? 0),
      smsCost: round(sum((n) => n.sms?.cost ?? 0)),
      couponsIssued: sum((n) => n.coupons?.done ?? 0),
      couponValue: round(sum((n) => n.coupons?.value ?? 0)),
      // The whole treatment over the whole simulated span (at most a year of history to compare with).
      expected: expected(input.members - input.holdout, await rate(Math.min(span, 365 * DAY))),
    },
    nodes,
    population: input.population,
    followUps: input.followUps,
    ...(input.timeline ? { timeline: input.timeline } : {}),
  };
}

/** The plan's display order, then any node it leaves out (repeat bodies). */
function nodeOrder(plan: ExecutionPlan): string[] {
  const seen = new Set(plan.order);
  return [...plan.order, ...Object.keys(plan.nodes).filter((id) => !seen.has(id))];
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;
