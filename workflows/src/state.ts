// The interpreter's state: everything continue-as-new carries, plain JSON.
import type { CohortEvent, CycleState, TriggerEvent } from '@huitou/activities/contract';

export interface Arms {
  treatment: number;
  holdout: number;
}

/** Members of one shard travelling together (activities/src/contract.ts CohortRef). */
export interface Cohort {
  id: string;
  node: string;
  /** When the node runs (again) for this cohort, workflow time (epoch ms). */
  readyAt: number;
  /** 'arrive': the node has not run yet; 'waiting': it is waiting at the node until readyAt. */
  stage: 'arrive' | 'waiting';
  /** Waiting at an action that deferred members: 'ops' (paused/stopped in Postgres) runs again on resume. */
  deferred?: 'ops' | 'quiet_hours';
  /** Came in by an edge closing a repeat body (ends the current cycle). */
  viaLoopBack: boolean;
  cycles: CycleState[];
  enteredAt: number;
  /** Anchor node id -> when this cohort passed it (latest cycle). */
  anchors: Record<string, number>;
  size: Arms;
  /**
   * Triggered cohorts: when the members reached this node, if not when it was placed (their event
   * time, to the second): the first wait after the entry measures from it.
   */
  since?: number;
  /** Triggered cohorts at a wait.event: the events (state.events) already looked at. */
  seen?: number;
  /** Triggered cohorts, goal trigger_order_paid: the events already checked for payments. */
  paidSeen?: number;
}

/** An evaluation timer: evaluateCheckpoint for the cohort that passed a checkpoint. */
export interface PendingCheckpoint {
  node: string;
  cohort: string;
  cycles: CycleState[];
  enteredAt: number;
  anchoredAt: number;
  dueAt: number;
}

export interface NodeCount {
  /** Members that arrived (a repeat counts every cycle's arrival). */
  entered: number;
  /** Members at the node now (waiting, or about to run it). */
  waiting: number;
  /** Members whose journey ended here (exit nodes, stop, goal reached). */
  exited: number;
  /** Members that left by each port (split arms, repeat body/done...). */
  ports: Record<string, number>;
  /** Checkpoint evaluations done at this node. */
  evaluations: number;
}

export interface InterpreterState {
  cohorts: Cohort[];
  checkpoints: PendingCheckpoint[];
  counts: Record<string, NodeCount>;
  paused: boolean;
  draining: boolean;
  stopped: boolean;
  /** Triggered runs: the events received so far; triggered cohorts: later events, each with its member's key. */
  events: Array<TriggerEvent | CohortEvent>;
}

export function emptyState(): InterpreterState {
  return { cohorts: [], checkpoints: [], counts: {}, paused: false, draining: false, stopped: false, events: [] };
}

export const total = (a: Arms): number => a.treatment + a.holdout;

export function countOf(counts: Record<string, NodeCount>, node: string): NodeCount {
  return (counts[node] ??= { entered: 0, waiting: 0, exited: 0, ports: {}, evaluations: 0 });
}

/** Adds `b` into `a`, node by node (the audience run sums its shards). */
export function addCounts(a: Record<string, NodeCount>, b: Record<string, NodeCount>): void {
  for (const [node, c] of Object.entries(b)) {
    const into = countOf(a, node);
    into.entered += c.entered;
    into.waiting += c.waiting;
    into.exited += c.exited;
    into.evaluations += c.evaluations;
    for (const [port, n] of Object.entries(c.ports)) into.ports[port] = (into.ports[port] ?? 0) + n;
  }
}
