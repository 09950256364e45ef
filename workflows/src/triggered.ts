// A triggered run: a set of one, started by signal-with-start on a deterministic id (journey +
// trigger key) so duplicate triggers collapse; later order events arrive as the same signal.
// Date entries (birthday, N days after the last purchase) start the same workflow without a signal,
// from the engine's daily scan, with the customer it found as `entrant`.
import { condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { AdmitResult, TriggerEvent } from '@huitou/activities/contract';
import { withRunKind } from '@huitou/schemas';
import type { TriggeredRunInput, TriggeredRunResult } from './api.ts';
import { DEFAULT_MAX_HISTORY, eventSignal } from './api.ts';
import { acts, localBookkeeping } from './activities.ts';
import { installControls } from './controls.ts';
import { finishRun } from './finish.ts';
import { Interpreter } from './interpreter.ts';
import { countOf, emptyState } from './state.ts';

/** How long a run started without its triggering event (a late event after the run ended) waits for it. */
const NO_TRIGGER_GRACE_MS = 60_000;

/** Histories from before triggered runs kept their books with local activities keep the old path on replay. */
export const TRIGGERED_LOCAL_BOOKS_PATCH = 'triggered-local-books';

export async function triggeredRun(input: TriggeredRunInput): Promise<TriggeredRunResult> {
  const { plan } = input;
  // Recorded histories carry plans from before plans had their kind: withRunKind fills it.
  const { kind } = withRunKind(plan);
  const entry = plan.nodes[plan.entry];
  if (kind === 'audience' || (entry?.type !== 'entry.event' && entry?.type !== 'entry.date'))
    throw new Error(`triggeredRun needs a triggered or dated plan, got ${kind} (${plan.entryType})`);
  const state = input.resume?.state ?? emptyState();
  const books = patched(TRIGGERED_LOCAL_BOOKS_PATCH) ? localBookkeeping : acts;
  let rt: Interpreter | null = null;
  // Registered before the first await, so the start signal and every later event are kept.
  // (A triggered run holds only order events; cohorts hold keyed ones.)
  const events = state.events as TriggerEvent[];
  setHandler(eventSignal, (event) => {
    // Signal-with-start retried by a client repeats the event: keep one of each.
    if (events.some((e) => e.type === event.type && e.orderId === event.orderId && e.at === event.at)) return;
    events.push(event);
    rt?.poke();
  });

  let runId = input.resume?.runId ?? null;
  let triggerOrderId = input.resume?.triggerOrderId;
  if (!input.resume) {
    let admit: AdmitResult;
    let enteredAt: number;
    if (entry.type === 'entry.date') {
      const { entrant } = input;
      if (!entrant) throw new Error('a date-triggered run needs its entrant');
      const ids = {
        journeyId: input.journeyId,
        versionId: input.versionId,
        triggerKey: input.triggerKey,
        workflowId: workflowInfo().workflowId,
      };
      admit = await books.admitDated({ ...ids, entrant, settings: plan.settings });
      enteredAt = entrant.at;
    } else {
      await condition(() => events.some((e) => e.type === entry.params.event), NO_TRIGGER_GRACE_MS);
      const trigger = events.find((e) => e.type === entry.params.event);
      if (!trigger) return { runId: null, admitted: false, counts: {} };
      admit = await books.admitTriggered({
        journeyId: input.journeyId,
        versionId: input.versionId,
        triggerKey: input.triggerKey,
        workflowId: workflowInfo().workflowId,
        event: trigger,
        params: entry.params,
        settings: plan.settings,
        now: Date.now(),
      });
      triggerOrderId = trigger.orderId;
      enteredAt = trigger.at;
    }
    runId = admit.runId;
    if (!admit.admitted) {
      const count = countOf(state.counts, entry.id);
      count.entered += 1;
      count.exited += 1;
      await finishRun(runId, books);
      return { runId, admitted: false, counts: state.counts };
    }
    rt = new Interpreter(context(input, runId, triggerOrderId), state, books);
    rt.place({
      id: admit.cohort,
      node: entry.id,
      viaLoopBack: false,
      cycles: [],
      enteredAt,
      anchors: {},
      size: admit.holdout ? { treatment: 0, holdout: 1 } : { treatment: 1, holdout: 0 },
    });
  } else {
    rt = new Interpreter(context(input, runId as string, triggerOrderId), state, books);
  }
  installControls(rt);
  if ((await rt.runUntilDone()) === 'continue') {
    const order = triggerOrderId === undefined ? {} : { triggerOrderId };
    await continueAsNew<typeof triggeredRun>({ ...input, resume: { runId: runId as string, ...order, state } });
  }
  await finishRun(runId as string, books);
  return { runId, admitted: true, counts: rt.counts() };
}

function context(input: TriggeredRunInput, runId: string, triggerOrderId: number | undefined) {
  return {
    runId,
    shard: 0,
    journeyId: input.journeyId,
    versionId: input.versionId,
    plan: input.plan,
    triggerKey: input.triggerKey,
    ...(triggerOrderId === undefined ? {} : { triggerOrderId }),
    maxHistory: input.maxHistory ?? DEFAULT_MAX_HISTORY,
  };
}
