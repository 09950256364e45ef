// Pause/resume/drain/stop and the counts and waiting queries, wired to an interpreter's state.
import { setHandler } from '@temporalio/workflow';
import { countsQuery, drainSignal, waitingQuery, pauseSignal, resumeSignal, stopSignal } from './api.ts';
import type { Interpreter } from './interpreter.ts';
import { total } from './state.ts';

export function installControls(rt: Interpreter): void {
  const { state } = rt;
  setHandler(pauseSignal, () => {
    state.paused = true;
    rt.poke();
  });
  setHandler(resumeSignal, () => {
    state.paused = false;
    rt.retryDeferred();
    rt.poke();
  });
  setHandler(drainSignal, () => {
    state.draining = true;
    rt.poke();
  });
  setHandler(stopSignal, () => {
    state.stopped = true;
    rt.poke();
  });
  setHandler(countsQuery, () => rt.counts());
  // A query only: nothing is recorded in the history, so running workflows and replays are unchanged.
  setHandler(waitingQuery, () => ({
    cohorts: state.cohorts.map((c) => ({
      node: c.node,
      members: total(c.size),
      until: c.readyAt,
      stage: c.stage,
      deferred: c.deferred ?? null,
      paused: state.paused,
    })),
    checkpointsDue: state.checkpoints.map((cp) => cp.dueAt),
  }));
}
