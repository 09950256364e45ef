// One handler per node type (a node type without one does not compile; action types share one).
// A handler runs the node for one cohort: one activity over the set, or a timer, and says where
// the members go.
import { ALL_WEEKDAYS, nextAllowedInstant, nodeTypeIds } from '@huitou/schemas';
import { patched } from '@temporalio/workflow';
import type { NodeHandlers, PlanNodeOf } from '@huitou/schemas';
import type { ActionResult, CycleState, NodeCall, PartitionResult } from '@huitou/activities/contract';
import { acts, effects } from './activities.ts';
import type { Interpreter } from './interpreter.ts';
import { isActionType } from './node-activities.ts';
import type { ActionTypeId } from './node-activities.ts';
import type { Arms, Cohort } from './state.ts';

export interface Part {
  port: string;
  cohort: string;
  size: Arms;
  /** Cycle counters for this part when they change (repeat). */
  cycles?: CycleState[];
}

export type Outcome =
  /** `deferred`: an action owes members (see `action`); 'ops' ones run again at once on resume. */
  | { kind: 'wait'; until: number; deferred?: 'ops' | 'quiet_hours' }
  /** `stay`: only the parts' members left; the rest (this size) wait on at the node until then. */
  | { kind: 'move'; parts: Part[]; stay?: { size: Arms; until: number } }
  | { kind: 'end' };

const out = (c: Cohort, port = 'out'): Outcome => ({ kind: 'move', parts: [{ port, cohort: c.id, size: c.size }] });

/** Child cohort ids are paths, so a cohort's descendants share its prefix (contract.ts). */
export const childCohort = (c: Cohort, node: string, port: string): string => `${c.id}/${node}.${port}`;

function partsOf(
  result: PartitionResult,
  targets: Record<string, string>,
  cycles?: (port: string) => CycleState[],
): Part[] {
  return Object.entries(targets).map(([port, cohort]) => ({
    port,
    cohort,
    size: result.counts[port] ?? { treatment: 0, holdout: 0 },
    ...(cycles ? { cycles: cycles(port) } : {}),
  }));
}

/** Waits mirror the position first: members may stay there for days (reports show where they are). */
async function mirrorPosition(c: Cohort, rt: Interpreter): Promise<void> {
  if (c.stage === 'arrive')
    await rt.books.recordPosition({
      ref: rt.call({ id: c.node, params: null }, c).ref,
      nodeId: c.node,
      now: Date.now(),
    });
}

async function waitUntil(c: Cohort, rt: Interpreter, until: number): Promise<Outcome> {
  await mirrorPosition(c, rt);
  return until <= Date.now() ? out(c) : { kind: 'wait', until };
}

/** Histories from before the repeat mirrored its interval wait keep their old path on replay. */
export const REPEAT_POSITION_PATCH = 'repeat-interval-position';

/**
 * Marketing SMS never go out in quiet hours: a send due inside them (also one made overdue by a
 * pause) waits for their end.
 */
function quietUntil(rt: Interpreter, now: number): number {
  const { quietHours, timeZone } = rt.run.plan.settings;
  if (!quietHours) return now;
  return nextAllowedInstant(now, [{ from: quietHours.to, to: quietHours.from }], ALL_WEEKDAYS, timeZone);
}

/**
 * Workflows that started before action deferrals were honoured keep their old path on replay
 * (the interpreter waited out quiet hours itself and moved on past deferred members).
 */
export const DEFERRALS_PATCH = 'action-deferrals';

/** How soon a cohort deferred by the ops state in Postgres, with no pause signal here, tries again. */
export const DEFERRAL_RECHECK_MS = 15 * 60_000;

/**
 * Runs an action over the cohort. Members the action deferred (journey paused or stopped in
 * Postgres, a marketing SMS in quiet hours) were not acted on and nothing was recorded for them:
 * the whole cohort stays at the node and runs it again (the ledger keys make the members already
 * done `alreadyDone`), at the end of the quiet hours, or on resume; never moving on without them.
 */
async function action(c: Cohort, rt: Interpreter, run: () => Promise<ActionResult>): Promise<Outcome> {
  const result = await run();
  const deferred = result.deferred;
  if (!deferred || deferred.members <= 0 || !patched(DEFERRALS_PATCH)) return out(c);
  const now = Date.now();
  if (deferred.reasons.paused || deferred.reasons.stopped) {
    // A paused interpreter holds every cohort until resume; otherwise the signal may still be on
    // its way (or ops changed the state in Postgres only): look again a little later.
    return { kind: 'wait', until: rt.state.paused ? now : now + DEFERRAL_RECHECK_MS, deferred: 'ops' };
  }
  const allowedAt = quietUntil(rt, now);
  // The send path judged by a later clock than the workflow's (a retry): look again a little later.
  return { kind: 'wait', until: allowedAt > now ? allowedAt : now + DEFERRAL_RECHECK_MS, deferred: 'quiet_hours' };
}

/**
 * Every action node: the side effect its plan names (`activity`, e.g. sendSms, awardPoints) over
 * the cohort. node-activities.ts checks at compile time that each action type's activity is a
 * side effect taking its params, which is what makes the untyped call below sound.
 */
function runAction<T extends ActionTypeId>(node: PlanNodeOf<T>, c: Cohort, rt: Interpreter): Promise<Outcome> {
  const sideEffect = effects[node.activity] as (call: NodeCall<PlanNodeOf<T>['params']>) => Promise<ActionResult>;
  return action(c, rt, () => sideEffect(rt.call(node, c)));
}

type ActionHandlers = {
  readonly [T in ActionTypeId]: (node: PlanNodeOf<T>, c: Cohort, rt: Interpreter) => Promise<Outcome>;
};

/** The generic action handler under every action type's id (the registry decides which exist). */
const actionHandlers = Object.fromEntries(
  nodeTypeIds.filter(isActionType).map((id) => [id, runAction]),
) as ActionHandlers;

async function loopRepeat(node: PlanNodeOf<'loop.repeat'>, c: Cohort, rt: Interpreter): Promise<Outcome> {
  const now = Date.now();
  const outer = c.cycles.filter((s) => s.loop !== node.id);
  const current = c.cycles.find((s) => s.loop === node.id);
  const { cycles, intervalMs, exitWhen } = node.params;
  const allDone = (): Outcome => ({
    kind: 'move',
    parts: [{ port: 'done', cohort: c.id, size: c.size, cycles: outer }],
  });

  let nextCycle = 1;
  if (c.stage === 'arrive' && c.viaLoopBack) {
    if (!current || current.cycle >= cycles) return allDone();
    const startAt = Math.max(current.startedAt + intervalMs, now);
    if (startAt > now) {
      // Members wait here for weeks between cycles: reports should show them here.
      if (patched(REPEAT_POSITION_PATCH)) await mirrorPosition(c, rt);
      return { kind: 'wait', until: startAt };
    }
  }
  if (current && (c.viaLoopBack || c.stage === 'waiting')) nextCycle = current.cycle + 1;
  // Draining: no new cycle starts.
  if (rt.state.draining) return allDone();

  const bodyCycles = [...outer, { loop: node.id, cycle: nextCycle, startedAt: now }];
  if (exitWhen === null)
    return { kind: 'move', parts: [{ port: 'body', cohort: c.id, size: c.size, cycles: bodyCycles }] };
  // exitWhen is checked over the cycle that just ended ("came back since the cycle began").
  const targets = { done: childCohort(c, node.id, 'done'), body: childCohort(c, node.id, 'body') };
  const result = await acts.partitionBySegment({ ...rt.call(node, c), targets });
  return { kind: 'move', parts: partsOf(result, targets, (port) => (port === 'done' ? outer : bodyCycles)) };
}

/**
 * wait.event in a triggered cohort: the members whose own event arrived leave by `event` (moved to
 * a fresh child cohort), the others wait on until the timeout, which runs from their arrival.
 */
async function keyedWaitEvent(node: PlanNodeOf<'wait.event'>, c: Cohort, rt: Interpreter): Promise<Outcome> {
  const now = Date.now();
  const until = c.stage === 'arrive' ? (c.since ?? now) + node.params.timeoutMs : c.readyAt;
  await mirrorPosition(c, rt);
  const upTo = rt.state.events.length;
  // A cohort arriving here looks at every event so far (a member may have paid before it got here).
  const keys = rt.keysWith(node.params.event, c.stage === 'arrive' ? 0 : (c.seen ?? 0), upTo);
  c.seen = upTo;
  const parts: Part[] = [];
  let rest = c.size;
  if (keys.length > 0) {
    const target = `${c.id}/${node.id}.event~${upTo}`;
    const moved = await rt.books.moveMembers({ ref: rt.call(node, c).ref, keys, target });
    if (moved.treatment + moved.holdout > 0) {
      parts.push({ port: 'event', cohort: target, size: moved });
      rest = { treatment: rest.treatment - moved.treatment, holdout: rest.holdout - moved.holdout };
    }
  }
  if (rest.treatment + rest.holdout === 0) return { kind: 'move', parts };
  if (until <= now) return { kind: 'move', parts: [...parts, { port: 'timeout', cohort: c.id, size: rest }] };
  if (parts.length === 0) return { kind: 'wait', until };
  return { kind: 'move', parts, stay: { size: rest, until } };
}

export const handlers: NodeHandlers<[Cohort, Interpreter], Promise<Outcome>> = {
  // Entries admit members before the interpreter starts (snapshot, admitTriggered): pass-through.
  'entry.audience': async (_node, c) => out(c),
  'entry.event': async (_node, c) => out(c),
  'entry.date': async (_node, c) => out(c),

  'wait.delay': async (node, c, rt) =>
    waitUntil(c, rt, c.stage === 'arrive' ? (c.since ?? Date.now()) + node.params.durationMs : c.readyAt),
  // Re-checked when due: after a pause the window may have closed again.
  'wait.window': async (node, c, rt) =>
    waitUntil(c, rt, nextAllowedInstant(Date.now(), node.params.windows, node.params.weekdays, node.params.timeZone)),
  'wait.event': async (node, c, rt) => {
    if (rt.run.keyed) return keyedWaitEvent(node, c, rt);
    if (rt.run.triggerKey !== undefined && rt.hasEvent(node.params.event)) return out(c, 'event');
    if (c.stage === 'arrive') {
      const outcome = await waitUntil(c, rt, (c.since ?? Date.now()) + node.params.timeoutMs);
      return outcome.kind === 'move' ? out(c, 'timeout') : outcome;
    }
    return c.readyAt <= Date.now() ? out(c, 'timeout') : { kind: 'wait', until: c.readyAt };
  },

  'split.segment': async (node, c, rt) => {
    const ports = [...node.params.branches.map((b) => b.port), node.params.otherwisePort];
    const targets = Object.fromEntries(ports.map((p) => [p, childCohort(c, node.id, p)]));
    return { kind: 'move', parts: partsOf(await acts.partitionBySegment({ ...rt.call(node, c), targets }), targets) };
  },
  'split.random': async (node, c, rt) => {
    const targets = Object.fromEntries(node.params.arms.map((a) => [a.port, childCohort(c, node.id, a.port)]));
    return { kind: 'move', parts: partsOf(await acts.partitionRandom({ ...rt.call(node, c), targets }), targets) };
  },
  'loop.repeat': loopRepeat,

  ...actionHandlers,
  'action.sms': async (node, c, rt) => {
    // Quiet hours are the send path's decision (a deferral, see `action`); histories from before
    // it still wait here first.
    if (node.params.smsClass === 'marketing' && !patched(DEFERRALS_PATCH)) {
      const now = Date.now();
      const allowedAt = quietUntil(rt, now);
      if (allowedAt > now) return { kind: 'wait', until: allowedAt };
    }
    return runAction(node, c, rt);
  },

  // A pass-through: the evaluation is a timer of its own, at the anchor instant + offset.
  'eval.checkpoint': async (node, c, rt) => {
    const passed = node.params.anchors.map((a) => c.anchors[a]).filter((t): t is number => t !== undefined);
    const anchoredAt = passed.length > 0 ? Math.max(...passed) : Date.now();
    rt.state.checkpoints.push({
      node: node.id,
      cohort: c.id,
      cycles: c.cycles,
      enteredAt: c.enteredAt,
      anchoredAt,
      dueAt: anchoredAt + node.params.offsetMs,
    });
    return out(c);
  },
  exit: async (node, c, rt) => {
    const reason = node.params.reason ?? 'completed';
    await rt.books.exitMembers({ ...rt.call(node, c), reason });
    return { kind: 'end' };
  },
};
