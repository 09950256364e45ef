// The contract between the interpreter workflows and the journey activities: what a workflow sends
// when it runs a node over a member set, and what comes back. Types only, so workflow code can
// `import type` it (docs/architecture.md § The interpreter: members are referenced in the database, never shipped).
import type { ExecutionPlan, JourneySettings, NodeParams, OrderEvent, PlanNode } from '@huitou/schemas';

/**
 * A cohort: the members of one shard of a run that travel together through the graph. Members
 * are rows of `run_members` (run_id, shard, cohort); a split re-tags them with the child cohort ids
 * the workflow chose, so every later activity addresses its set with one indexed predicate.
 * Holdout members travel with their cohort (splits, waits and exits apply to them) but no side
 * effect ever reaches them; checkpoints compare the two arms of a cohort.
 * Cohort ids are paths: a split's children are `${parent}/${node}.${port}`, so the members that
 * were in cohort X at some moment are those whose cohort is X or starts with `X/` (checkpoints
 * measure the cohort that passed them this way, wherever its members went since).
 */
export interface CohortRef {
  runId: string;
  shard: number;
  cohort: string;
}

/** Where a cohort is in its enclosing repeats: one entry per loop in `PlanNode.loops`, outermost first. */
export interface CycleState {
  loop: string;
  /** 1-based cycle number. */
  cycle: number;
  /** When the current cycle began (epoch ms, workflow time). */
  startedAt: number;
}

/** Everything an activity needs to run one node over one cohort. */
export interface NodeCall<P = NodeParams<PlanNode['type']>> {
  ref: CohortRef;
  journeyId: string;
  versionId: string;
  nodeId: string;
  params: P;
  settings: JourneySettings;
  cycles: CycleState[];
  /** When the cohort entered the journey (epoch ms). */
  enteredAt: number;
  /** Workflow time at the call, for windows such as "came back since the cycle began". */
  now: number;
  /** Triggered journeys: the trigger key (e.g. the order id), part of every message key. */
  triggerKey?: string;
  /** Triggered journeys: the order of the triggering event (`trigger_order` conditions). */
  triggerOrderId?: number;
}

/** A split: the workflow names the child cohort for every port; the activity moves members there. */
export interface PartitionCall<P = NodeParams<PlanNode['type']>> extends NodeCall<P> {
  targets: Record<string, string>;
}

export interface PartitionResult {
  /** Members moved to each port's target cohort (ports with no members are present with 0). */
  counts: Record<string, { treatment: number; holdout: number }>;
}

/** An action (SMS, coupon, task, tag, webhook) over the treatment arm of a cohort. */
export interface ActionResult {
  treatment: number;
  holdout: number;
  /** Side effects done now (e.g. SMS accepted by the provider). */
  done: number;
  /** Already done by an earlier attempt (found in the ledger): never repeated. */
  alreadyDone: number;
  /** Skipped, with the reason recorded per member (opted_out, frequency_cap, quiet_hours, suppressed, paused...). */
  skipped: Record<string, number>;
  /** SMS billing units (segments) and cost in yuan, where the action has them. */
  segments?: number;
  cost?: number;
  /**
   * Members the action did not act on now and recorded nothing for (the journey paused or
   * stopped, a marketing SMS in quiet hours): also counted in `skipped` under the reason, and the
   * node must run again for them (at the end of the quiet hours, on resume). Absent or
   * `members: 0`: nothing is owed. Additive: results without it are read from `skipped`.
   */
  deferred?: Deferral;
}

/** Skip reasons that mean "not now" rather than "never": nothing is written for them. */
export type DeferralReason = 'paused' | 'stopped' | 'quiet_hours';

export interface Deferral {
  members: number;
  reasons: Partial<Record<DeferralReason, number>>;
}

export interface SnapshotCall {
  runId: string;
  journeyId: string;
  versionId: string;
  params: NodeParams<'entry.audience'>;
  holdoutPercent: number;
  shardSize: number;
  now: number;
  /** The journey's time zone, for calendar dates in the segment. */
  timeZone?: string;
}

export interface SnapshotResult {
  members: number;
  holdout: number;
  shards: number[];
  /** The cohort id each shard's members start in. */
  cohort: string;
  /** Members per shard and arm, in shard order (the shard workflows start with these counts). */
  sizes: Array<{ shard: number; treatment: number; holdout: number }>;
}

/** An order event delivered to a triggered journey (the start signal and every later one). */
export interface TriggerEvent {
  type: OrderEvent;
  orderId: number;
  customerId: number;
  /** When it happened (epoch ms). */
  at: number;
}

/** Admits the customer of a triggering event: one run per (journey, trigger key), a set of one. */
export interface AdmitCall {
  journeyId: string;
  versionId: string;
  triggerKey: string;
  workflowId: string;
  event: TriggerEvent;
  params: NodeParams<'entry.event'>;
  settings: JourneySettings;
  now: number;
}

/** The customer a daily date scan found (entry.date): the set of one a date-triggered run admits. */
export interface DateEntrant {
  customerId: number;
  /** The local date (YYYY-MM-DD, journey time zone) of the scan; part of the trigger key. */
  date: string;
  /** When the scan ran (epoch ms, the engine's clock): the member's entry instant. */
  at: number;
}

/** Admits a date scan's customer: one run per (journey, trigger key), like admitTriggered. */
export interface AdmitDatedCall {
  journeyId: string;
  versionId: string;
  triggerKey: string;
  workflowId: string;
  entrant: DateEntrant;
  settings: JourneySettings;
}

export interface AdmitResult {
  runId: string;
  /** False when the filter does not match (or the run already ended): nothing runs. */
  admitted: boolean;
  holdout: boolean;
  cohort: string;
}

/**
 * One arrival for a triggered cohort (workflows/src/cohort.ts): an order event, or a date scan's
 * customer, for one trigger key. `entry`: the router claimed the key for this cohort (its
 * trigger_entries row) and the event admits it; otherwise a later event for a member it holds.
 */
export interface CohortEvent {
  key: string;
  entry: boolean;
  /** An order event, or 'date' for a date scan's entrant. */
  type: OrderEvent | 'date';
  customerId: number;
  orderId: number | null;
  /** When it happened (epoch ms): an entrant's wait starts here (to the second, see admitCohort). */
  at: number;
}

/** Admits a batch of entries into a triggered cohort's run (one run per cohort workflow). */
export interface AdmitCohortCall {
  journeyId: string;
  versionId: string;
  workflowId: string;
  /** The cohort's run key (runs.trigger_key), e.g. 'cohort:1733443200:2'. */
  runKey: string;
  /**
   * The admission's id, unique among all executions of its workflow id (a cohort that ended may be
   * started again by a late entry): the cohorts it creates are `a<seq>.<second>`.
   */
  seq: string;
  entries: CohortEvent[];
  /** The entry's filter (entry.event); none for date entries (the scan matched them). */
  filter: NodeParams<'entry.event'>['filter'] | null;
  settings: JourneySettings;
  now: number;
}

export interface AdmitCohortResult {
  runId: string;
  /** Admitted members, one cohort per second of event time; `at` is the end of that second. */
  groups: Array<{ cohort: string; at: number; treatment: number; holdout: number }>;
  /** Entries not admitted: a key admitted before (duplicates) or left out by the entry filter. */
  rejected: number;
  /** Entries whose customer is already a member of this run under another key: a later cohort admits them. */
  busy: CohortEvent[];
}

/** Moves the members with these trigger keys out of a cohort into `target` (a later event moved them). */
export interface MoveMembersCall {
  ref: CohortRef;
  keys: string[];
  target: string;
}

export interface CheckpointCall extends NodeCall<NodeParams<'eval.checkpoint'>> {
  /** The anchor pass time this evaluation measures from (epoch ms). */
  anchoredAt: number;
}

/** Raw sums for one arm; rates, ROI and the lift with its interval are computed from these. */
export interface ArmFigures {
  targets: number;
  sent: number;
  delivered: number;
  billedSegments: number;
  buyers: number;
  orders: number;
  sales: number;
  /** SMS cost plus couponValue. */
  cost: number;
  /** This run's coupons issued to the arm's members (in the cycle measured). */
  couponsIssued: number;
  /** Those redeemed by a purchase in the window (evaluation/coupon-sql.ts). */
  couponsRedeemed: number;
  /** Their face value, included in cost. */
  couponValue: number;
}

export interface CheckpointResult {
  treatment: ArmFigures;
  holdout: ArmFigures;
}

export interface ExitCall extends NodeCall<NodeParams<'exit'>> {
  reason: string;
}

// The list of journey activities is not written here: it is the object createJourneyActivities
// returns (journey-activities.ts), and its type is `JourneyActivities` there.

export type { ExecutionPlan };
