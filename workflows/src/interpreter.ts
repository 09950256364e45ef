// The scheduler loop shared by shard runs and triggered runs: a list of cohorts, each at a node
// with a readyAt; due cohorts run their node (one activity over the set) and move on by port.
import { condition, workflowInfo } from '@temporalio/workflow';
import { dispatchNode } from '@huitou/schemas';
import type { ExecutionPlan, PlanNode } from '@huitou/schemas';
import type { CycleState, NodeCall } from '@huitou/activities/contract';
import { acts } from './activities.ts';
import type { Bookkeeping } from './activities.ts';
import { handlers } from './handlers.ts';
import type { Outcome } from './handlers.ts';
import type { Arms, Cohort, InterpreterState, NodeCount } from './state.ts';
import { countOf, total } from './state.ts';

export interface RunContext {
  runId: string;
  shard: number;
  journeyId: string;
  versionId: string;
  plan: ExecutionPlan;
  triggerKey?: string;
  triggerOrderId?: number;
  /** Triggered cohorts: members are told apart by trigger key; later events move just theirs. */
  keyed?: boolean;
  maxHistory: number;
}

/** What a triggered cohort adds to the loop: admitting entries that arrived meanwhile. */
export interface Intake {
  /** Entries wait to be admitted (the run is not done while they do). */
  waiting(): boolean;
  admit(): Promise<void>;
}

export class Interpreter {
  /** Set by signals so a sleeping loop re-examines its cohorts at once. */
  private wake = false;

  constructor(
    readonly run: RunContext,
    readonly state: InterpreterState,
    /** Where positions and exits are recorded (triggered runs: local activities). */
    readonly books: Bookkeeping = acts,
    private readonly intake?: Intake,
  ) {}

  /** Signal handlers call this after changing the state. */
  poke(): void {
    this.wake = true;
  }

  /** On resume: cohorts an action deferred because of the ops state run their node again at once. */
  retryDeferred(): void {
    const now = Date.now();
    for (const c of this.state.cohorts) if (c.deferred === 'ops' && c.readyAt > now) c.readyAt = now;
  }

  /** A new cohort arrives at a node (counted as entered there). */
  place(cohort: Omit<Cohort, 'readyAt' | 'stage'>): void {
    countOf(this.state.counts, cohort.node).entered += total(cohort.size);
    this.state.cohorts.push({ ...cohort, readyAt: Date.now(), stage: 'arrive' });
  }

  /** Per-node counts with `waiting` taken from the live cohorts. */
  counts(): Record<string, NodeCount> {
    const out: Record<string, NodeCount> = {};
    for (const [node, c] of Object.entries(this.state.counts)) out[node] = { ...c, ports: { ...c.ports }, waiting: 0 };
    for (const c of this.state.cohorts) countOf(out, c.node).waiting += total(c.size);
    return out;
  }

  /**
   * Runs until no cohort or checkpoint is left ('done'), or until the history is long enough to
   * continue as new ('continue'; only between steps, so the state is complete).
   */
  async runUntilDone(): Promise<'done' | 'continue'> {
    const { state } = this;
    for (;;) {
      if (state.stopped) {
        await this.stopAll();
        return 'done';
      }
      // Paused: nothing runs, cohorts hold their place (their readyAt may pass meanwhile).
      if (state.paused) {
        await condition(() => !state.paused || state.stopped);
        continue;
      }
      if (this.intake?.waiting()) await this.intake.admit();
      await this.endConverted();
      if (state.cohorts.length === 0 && state.checkpoints.length === 0 && !this.intake?.waiting()) return 'done';
      const info = workflowInfo();
      // Not while a cohort's entries or forwarded events wait (they came during the last await and
      // live outside the carried state): the next turn takes them first.
      if ((info.historyLength > this.run.maxHistory || info.continueAsNewSuggested) && !this.intake?.waiting())
        return 'continue';

      const now = Date.now();
      const due = state.cohorts.filter((c) => this.isDue(c, now));
      const dueCheckpoints = state.checkpoints.filter((cp) => cp.dueAt <= now);
      if (due.length === 0 && dueCheckpoints.length === 0) {
        if (this.intake?.waiting()) continue;
        const next = Math.min(...state.cohorts.map((c) => c.readyAt), ...state.checkpoints.map((cp) => cp.dueAt));
        this.wake = false;
        if (Number.isFinite(next)) await condition(() => this.wake, Math.max(1, next - now));
        else await condition(() => this.wake);
        continue;
      }
      state.checkpoints = state.checkpoints.filter((cp) => cp.dueAt > now);
      await Promise.all([...due.map((c) => this.step(c)), ...dueCheckpoints.map((cp) => this.evaluate(cp))]);
    }
  }

  private isDue(c: Cohort, now: number): boolean {
    if (c.readyAt <= now) return true;
    const node = this.node(c.node);
    if (node.type !== 'wait.event') return false;
    return this.run.keyed ? this.keysWith(node.params.event, c.seen ?? 0).length > 0 : this.hasEvent(node.params.event);
  }

  hasEvent(type: string): boolean {
    return this.state.events.some((e) => e.type === type);
  }

  /** Triggered cohorts: the members' keys with an event of `type` among state.events[from, to). */
  keysWith(type: string, from = 0, to = this.state.events.length): string[] {
    const keys = new Set<string>();
    for (const e of this.state.events.slice(from, to)) if (e.type === type && 'key' in e) keys.add(e.key);
    return [...keys];
  }

  node(id: string): PlanNode {
    const node = this.run.plan.nodes[id];
    if (!node) throw new Error(`plan has no node ${id}`);
    return node;
  }

  private async step(c: Cohort): Promise<void> {
    const node = this.node(c.node);
    const at = Date.now();
    const outcome: Outcome = await dispatchNode(handlers, node, c, this);
    if (outcome.kind === 'wait') {
      c.stage = 'waiting';
      c.readyAt = outcome.until;
      if (outcome.deferred) c.deferred = outcome.deferred;
      else delete c.deferred;
      return;
    }
    // Checkpoints measure from the instant the cohort passed their anchors (this cycle's pass).
    if (node.anchorsFor.length > 0) c.anchors[node.id] = at;
    // Some members left (a later event moved them), the rest wait on at the node.
    if (outcome.kind === 'move' && outcome.stay) {
      c.stage = 'waiting';
      c.readyAt = outcome.stay.until;
      c.size = outcome.stay.size;
    } else this.remove(c);
    if (outcome.kind === 'end') {
      countOf(this.state.counts, node.id).exited += total(c.size);
      return;
    }
    const count = countOf(this.state.counts, node.id);
    for (const part of outcome.parts) {
      const n = total(part.size);
      count.ports[part.port] = (count.ports[part.port] ?? 0) + n;
      if (n === 0) continue;
      const next = node.next[part.port];
      if (!next) throw new Error(`node ${node.id} has no port ${part.port}`);
      this.place({
        id: part.cohort,
        node: next.node,
        viaLoopBack: next.loopBack,
        cycles: part.cycles ?? c.cycles,
        enteredAt: c.enteredAt,
        anchors: { ...c.anchors },
        size: part.size,
        // Entries pass their members' event time on to the first node after them.
        ...(c.since !== undefined && node.type.startsWith('entry.') ? { since: c.since } : {}),
        ...(c.paidSeen !== undefined ? { paidSeen: c.paidSeen } : {}),
      });
    }
  }

  private remove(c: Cohort): void {
    this.state.cohorts = this.state.cohorts.filter((x) => x !== c);
  }

  /** What every activity call over a cohort carries. */
  call<P>(node: { id: string; params: P }, c: { id: string; cycles: CycleState[]; enteredAt: number }): NodeCall<P> {
    const { run } = this;
    return {
      ref: { runId: run.runId, shard: run.shard, cohort: c.id },
      journeyId: run.journeyId,
      versionId: run.versionId,
      nodeId: node.id,
      params: node.params,
      settings: run.plan.settings,
      cycles: c.cycles,
      enteredAt: c.enteredAt,
      now: Date.now(),
      ...(run.triggerKey === undefined ? {} : { triggerKey: run.triggerKey }),
      ...(run.triggerOrderId === undefined ? {} : { triggerOrderId: run.triggerOrderId }),
    };
  }

  private async evaluate(cp: InterpreterState['checkpoints'][number]): Promise<void> {
    const node = this.node(cp.node);
    if (node.type !== 'eval.checkpoint') throw new Error(`${cp.node} is not a checkpoint`);
    await acts.evaluateCheckpoint({
      ...this.call(node, { id: cp.cohort, cycles: cp.cycles, enteredAt: cp.enteredAt }),
      anchoredAt: cp.anchoredAt,
    });
    countOf(this.state.counts, cp.node).evaluations += 1;
  }

  /** Ends a cohort where it stands (stop, goal reached), mirroring it in run_members. */
  private async exitHere(c: Cohort, reason: string): Promise<void> {
    const node = this.node(c.node);
    await this.books.exitMembers({ ...this.call({ id: node.id, params: { reason } }, c), reason });
    this.remove(c);
    countOf(this.state.counts, node.id).exited += total(c.size);
  }

  private async stopAll(): Promise<void> {
    this.state.checkpoints = [];
    await Promise.all([...this.state.cohorts].map((c) => this.exitHere(c, 'stopped')));
  }

  /**
   * Payment reminders (goal `trigger_order_paid`): once the order is paid the run ends at once,
   * except cohorts waiting for that very event, which take their `event` port as drawn.
   */
  private async endConverted(): Promise<void> {
    if (this.run.plan.settings.goal.kind !== 'trigger_order_paid' || !this.hasEvent('order_paid')) return;
    const ending = this.state.cohorts.filter((c) => {
      const node = this.node(c.node);
      return !(node.type === 'wait.event' && node.params.event === 'order_paid') && node.type !== 'exit';
    });
    if (!this.run.keyed) {
      await Promise.all(ending.map((c) => this.exitHere(c, 'converted')));
      return;
    }
    // A cohort: only the members whose own order was paid end; each cohort looks at new events once.
    const upTo = this.state.events.length;
    await Promise.all(
      ending.map(async (c) => {
        const keys = this.keysWith('order_paid', c.paidSeen ?? 0, upTo);
        c.paidSeen = upTo;
        if (keys.length === 0) return;
        const paid: Cohort = { ...c, id: `${c.id}/${c.node}.paid~${upTo}` };
        paid.size = await this.books.moveMembers({
          ref: this.call({ id: c.node, params: null }, c).ref,
          keys,
          target: paid.id,
        });
        if (total(paid.size) === 0) return;
        c.size = { treatment: c.size.treatment - paid.size.treatment, holdout: c.size.holdout - paid.size.holdout };
        if (total(c.size) === 0) this.remove(c);
        await this.books.exitMembers({
          ...this.call({ id: c.node, params: { reason: 'converted' } }, paid),
          reason: 'converted',
        });
        countOf(this.state.counts, c.node).exited += total(paid.size);
      }),
    );
  }
}

export type { Arms };
