// Pause/resume/drain/stop and the counts query, wired to an interpreter's state.
import { setHandler } from '@temporalio/workflow';
import { countsQuery, drainSignal, pauseSignal, resumeSignal, stopSignal } from './api.ts';
import type { Interpreter } from './interpreter.ts';

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
}
