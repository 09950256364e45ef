// Where runs live: the in-memory index (by run and by workflow id), the set of busy runs the
// time-skipping clock watches, retention of closed runs, and (in durable mode) the journal.
import type { Journal } from './journal.js';
import type { HistoryEvent } from './proto.js';
import type { ActivityState, BufferedEvent, Run } from './run.js';
import { workflowKey } from './run.js';

export class Store {
  private readonly runs = new Map<string, Run>();
  /** Runs of each workflow id, oldest first. */
  private readonly chains = new Map<string, Run[]>();
  private readonly busy = new Set<Run>();
  private readonly namespaces = new Set<string>();
  private readonly closedOrder: Run[] = [];
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    namespaces: string[],
    private readonly retentionMs: number,
    readonly journal?: Journal,
  ) {
    for (const ns of namespaces) this.namespaces.add(ns);
    // Retention is judged on wall-clock time: skipped time must not delete what a test still reads.
    this.sweepTimer = setInterval(() => this.sweep(Date.now()), Math.min(60_000, Math.max(1000, retentionMs / 4)));
    this.sweepTimer.unref();
  }

  hasNamespace(ns: string): boolean {
    return this.namespaces.has(ns);
  }

  addNamespace(ns: string): void {
    this.namespaces.add(ns);
  }

  listNamespaces(): string[] {
    return [...this.namespaces];
  }

  getRun(key: string): Run | undefined {
    return this.runs.get(key);
  }

  latestRun(wfKey: string): Run | undefined {
    const chain = this.chains.get(wfKey);
    return chain?.[chain.length - 1];
  }

  allRuns(): IterableIterator<Run> {
    return this.runs.values();
  }

  get size(): number {
    return this.runs.size;
  }

  addRun(run: Run, replaying = false): void {
    this.runs.set(run.key, run);
    const key = workflowKey(run.namespace, run.workflowId);
    const chain = this.chains.get(key);
    if (chain) chain.push(run);
    else this.chains.set(key, [run]);
    if (!replaying) {
      this.journal?.run(run);
      for (const event of run.events) this.journal?.event(run, event);
    }
  }

  touch(run: Run): void {
    if (run.isBusy) this.busy.add(run);
    else this.busy.delete(run);
  }

  busyCount(): number {
    return this.busy.size;
  }

  busyRuns(): readonly Run[] {
    return [...this.busy];
  }

  closed(run: Run, replaying = false): void {
    this.busy.delete(run);
    this.closedOrder.push(run);
    if (!replaying) this.sweep(Date.now());
  }

  persistEvent(run: Run, event: HistoryEvent): void {
    this.journal?.event(run, event);
  }

  persistBuffered(run: Run, event: BufferedEvent): void {
    this.journal?.buffered(run, event);
  }

  clearBuffered(run: Run): void {
    this.journal?.bufferedFlushed(run);
  }

  persistActivityAttempt(run: Run, a: ActivityState): void {
    this.journal?.activityAttempt(run, a);
  }

  /** Drops closed runs older than the retention period (closeMs is wall-clock for retention). */
  sweep(nowMs: number): void {
    while (this.closedOrder.length > 0) {
      const run = this.closedOrder[0];
      if (run.closedWallMs + this.retentionMs > nowMs) break;
      this.closedOrder.shift();
      this.delete(run);
    }
  }

  private delete(run: Run): void {
    this.runs.delete(run.key);
    const key = workflowKey(run.namespace, run.workflowId);
    const chain = this.chains.get(key);
    if (chain) {
      const i = chain.indexOf(run);
      if (i >= 0) chain.splice(i, 1);
      if (chain.length === 0) this.chains.delete(key);
    }
    this.journal?.deleted(run);
  }

  close(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.journal?.close();
  }
}
