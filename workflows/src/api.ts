// What clients (API, tests) use to talk to the interpreter workflows: ids, signals, queries, inputs.
// Pure: imported by the workflow bundle and by Node code alike.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ExecutionPlan, NodeParams } from '@huitou/schemas';
import type { CohortEvent, DateEntrant, TriggerEvent } from '@huitou/activities/contract';
import type { InterpreterState, NodeCount } from './state.ts';

/** Ops controls (docs/architecture.md § Journey → Temporal, docs/runtime.md § Pause, resume, drain, stop). */
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
/** Start nothing new (no new shards, no new repeat cycles); members already on their way finish. */
export const drainSignal = defineSignal('drain');
/** Everyone exits now with reason `stopped`; pending checkpoints are dropped. */
export const stopSignal = defineSignal('stop');
/** A later order event for a triggered run (also the signal of signal-with-start). */
export const eventSignal = defineSignal<[TriggerEvent]>('event');

/**
 * A batch of arrivals for a triggered cohort (also the signal of signal-with-start): entries the
 * router claimed for it, and later events for the members it holds. One signal per cohort and
 * routed batch.
 */
export const cohortEventsSignal = defineSignal<[CohortEvent[]]>('events');

export type NodeCounts = Record<string, NodeCount>;
/** Per node: members that arrived, are there now, left the journey there, and left by each port. */
export const countsQuery = defineQuery<NodeCounts>('counts');

/** A cohort at a node now: until when (workflow time, epoch ms) and whether an action deferred it. */
export interface WaitingCohort {
  node: string;
  members: number;
  until: number;
  stage: 'arrive' | 'waiting';
  deferred: 'ops' | 'quiet_hours' | null;
  paused: boolean;
}
export interface Waiting {
  cohorts: WaitingCohort[];
  /** When each pending evaluation is due (epoch ms). */
  checkpointsDue: number[];
}
/** Where members wait and until when, and when evaluations are due (the monitor's "why", the report's "when"). */
export const waitingQuery = defineQuery<Waiting>('waiting');

export interface AudienceRunInput {
  runId: string;
  journeyId: string;
  versionId: string;
  plan: ExecutionPlan;
  /** Members per shard workflow (default 5,000). */
  shardSize?: number;
  /** Continue-as-new threshold for the shards (history events). */
  maxHistory?: number;
}

export interface AudienceRunResult {
  members: number;
  holdout: number;
  shards: number;
  counts: NodeCounts;
}

export interface ShardRunInput {
  runId: string;
  shard: number;
  journeyId: string;
  versionId: string;
  plan: ExecutionPlan;
  cohort: string;
  size: { treatment: number; holdout: number };
  enteredAt: number;
  maxHistory?: number;
  /** Set by continue-as-new, and by the parent when it was paused before the shard started. */
  state?: InterpreterState;
}

export interface TriggeredRunInput {
  journeyId: string;
  versionId: string;
  plan: ExecutionPlan;
  triggerKey: string;
  /** entry.date plans: the customer the daily scan found (started without a signal; see dateTriggerKey). */
  entrant?: DateEntrant;
  maxHistory?: number;
  /** Set by continue-as-new (date-triggered runs have no triggering order). */
  resume?: { runId: string; triggerOrderId?: number; state: InterpreterState };
}

export interface TriggeredRunResult {
  runId: string | null;
  admitted: boolean;
  counts: NodeCounts;
}

export interface TriggeredCohortInput {
  journeyId: string;
  versionId: string;
  plan: ExecutionPlan;
  /** Entries to admit at the start (the date scan, a hand-off of busy entries); the router signals instead. */
  entries?: CohortEvent[];
  maxHistory?: number;
  /** Set by continue-as-new. */
  resume?: CohortResume;
}

export interface CohortResume {
  runId: string;
  /** Admissions so far (the next one's number). */
  seq: number;
  admitted: number;
  rejected: number;
  /** Entries not admitted yet. */
  pending: CohortEvent[];
  /** Busy entries handed to another cohort, by key: later events for them are forwarded there. */
  handedOff: Record<string, string>;
  state: InterpreterState;
}

export interface TriggeredCohortResult {
  runId: string | null;
  admitted: number;
  rejected: number;
  counts: NodeCounts;
}

export const DEFAULT_SHARD_SIZE = 5_000;
/** Well under Temporal's 10,240-event warning, leaving room for one burst of parallel steps. */
export const DEFAULT_MAX_HISTORY = 2_000;

/** Duplicate triggers collapse on this id (journey + trigger key). */
export function triggeredWorkflowId(journeyId: string, triggerKey: string): string {
  return `huitou:${journeyId}:trigger:${triggerKey}`;
}

/**
 * A triggered cohort: the entries of one journey routed in the same second (`bucket`, epoch
 * seconds, or a date scan's local date), spread over lanes. The run's key is the id's tail.
 */
export function cohortWorkflowId(journeyId: string, bucket: number | string, lane?: number): string {
  return `huitou:${journeyId}:cohort:${bucket}${lane === undefined ? '' : `:${lane}`}`;
}

/** The cohort run's key (runs.trigger_key): the workflow id after the journey, e.g. `cohort:1733443200:2`. */
export function cohortRunKey(workflowId: string): string {
  const at = workflowId.indexOf(':cohort:');
  return at < 0 ? workflowId : workflowId.slice(at + 1);
}

export function shardWorkflowId(parentWorkflowId: string, shard: number): string {
  return `${parentWorkflowId}:shard:${shard}`;
}

/** The trigger key of an event for an entry node: the order id or the customer id. */
export function triggerKeyOf(params: NodeParams<'entry.event'>, event: TriggerEvent): string {
  return params.triggerKey === 'customer_id' ? `customer:${event.customerId}` : `order:${event.orderId}`;
}

/** The trigger key of a date scan's entrant: one run per customer and local scan date. */
export function dateTriggerKey(entrant: Pick<DateEntrant, 'customerId' | 'date'>): string {
  return `customer:${entrant.customerId}:${entrant.date}`;
}
