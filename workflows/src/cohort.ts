// A triggered cohort: the entries of one journey routed in the same second (one workflow per
// journey, second and lane; see cohortWorkflowId), interpreted as a set like an audience shard.
// Entries arrive by the `events` signal (the router's signal-with-start) or as the input (the daily
// date scan); each batch is admitted in one activity into cohorts of one second of event time, so a
// member's first wait measures from its own event, to the second. Later events carry their member's
// key and move just that member (wait.event, a paid 催付).
import {
  ParentClosePolicy,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { CohortEvent } from '@huitou/activities/contract';
import { withRunKind } from '@huitou/schemas';
import type { CohortResume, TriggeredCohortInput, TriggeredCohortResult } from './api.ts';
import { DEFAULT_MAX_HISTORY, cohortEventsSignal, cohortRunKey } from './api.ts';
import { localBookkeeping } from './activities.ts';
import { installControls } from './controls.ts';
import { finishRun } from './finish.ts';
import { Interpreter } from './interpreter.ts';
import type { RunContext } from './interpreter.ts';
import { emptyState } from './state.ts';

/** How long a cohort started without entries (a late signal-with-start race) waits for some. */
const NO_ENTRY_GRACE_MS = 60_000;
/**
 * How long a cohort with nothing left to do waits for late entries of its second before it ends
 * (the router's signals for one second land within its routing delay): fewer restarts of ended
 * cohorts by signal-with-start.
 */
const LINGER_MS = 2_000;
/** Entries per admission (one transaction each). */
const ADMIT_BATCH = 2_000;

export async function triggeredCohort(input: TriggeredCohortInput): Promise<TriggeredCohortResult> {
  const { plan } = input;
  const { kind } = withRunKind(plan);
  const entry = plan.nodes[plan.entry];
  if (kind === 'audience' || (entry?.type !== 'entry.event' && entry?.type !== 'entry.date'))
    throw new Error(`triggeredCohort needs a triggered or dated plan, got ${kind} (${plan.entryType})`);
  const books = localBookkeeping;
  const { workflowId, runId: execution } = workflowInfo();
  // Admission ids unique across executions of this id (a restarted cohort counts from 0 again).
  const tag = execution.replaceAll('-', '').slice(0, 8);
  const carried: CohortResume = input.resume ?? {
    runId: '',
    seq: 0,
    admitted: 0,
    rejected: 0,
    pending: [...(input.entries ?? [])],
    handedOff: {},
    state: emptyState(),
  };
  const { state, pending, handedOff } = carried;
  const ctx: RunContext = {
    runId: carried.runId,
    shard: 0,
    journeyId: input.journeyId,
    versionId: input.versionId,
    plan,
    keyed: true,
    maxHistory: input.maxHistory ?? DEFAULT_MAX_HISTORY,
  };

  const forwards: Array<{ to: string; events: CohortEvent[] }> = [];
  const admit = async (): Promise<void> => {
    while (pending.length > 0) {
      const batch = pending.splice(0, ADMIT_BATCH);
      const seq = `${tag}${carried.seq++}`;
      const result = await books.admitCohort({
        journeyId: input.journeyId,
        versionId: input.versionId,
        workflowId,
        runKey: cohortRunKey(workflowId),
        seq,
        entries: batch,
        filter: entry.type === 'entry.event' ? entry.params.filter : null,
        settings: plan.settings,
        now: Date.now(),
      });
      ctx.runId = carried.runId = result.runId;
      for (const g of result.groups) {
        carried.admitted += g.treatment + g.holdout;
        rt.place({
          id: g.cohort,
          node: entry.id,
          viaLoopBack: false,
          cycles: [],
          enteredAt: g.at,
          // (Never after now: an engine clock ahead of the workflow's must not stretch the wait.)
          since: Math.min(g.at, Date.now()),
          anchors: {},
          size: { treatment: g.treatment, holdout: g.holdout },
        });
      }
      carried.rejected += result.rejected;
      if (result.busy.length > 0) await handOff(result.busy, seq);
    }
  };

  // A customer already here under another key (two orders in one second) enters a cohort of its own.
  const handOff = async (busy: CohortEvent[], seq: string): Promise<void> => {
    const childId = `${workflowId}:b${seq}`;
    for (const e of busy) handedOff[e.key] = childId;
    await startChild(triggeredCohort, {
      workflowId: childId,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        { journeyId: input.journeyId, versionId: input.versionId, plan, entries: busy, maxHistory: input.maxHistory },
      ],
    });
  };

  const rt: Interpreter = new Interpreter(ctx, state, books, {
    waiting: () => pending.length > 0 || forwards.length > 0,
    admit: async () => {
      for (let f = forwards.shift(); f; f = forwards.shift())
        await getExternalWorkflowHandle(f.to)
          .signal(cohortEventsSignal, f.events)
          .catch(() => undefined);
      await admit();
    },
  });
  installControls(rt);
  // Registered before the first await (after rt, which buffered signals reach at once), so the
  // start signal and every later one are kept.
  setHandler(cohortEventsSignal, (events) => {
    for (const e of events) {
      const elsewhere = handedOff[e.key];
      if (elsewhere !== undefined) forwards.push({ to: elsewhere, events: [e] });
      else if (e.entry) pending.push(e);
      // A client retrying its signal repeats events: keep one of each.
      else if (!state.events.some((x) => 'key' in x && x.key === e.key && x.type === e.type && x.at === e.at))
        state.events.push(e);
    }
    rt.poke();
  });

  if (!input.resume && pending.length === 0) {
    await condition(() => pending.length > 0, NO_ENTRY_GRACE_MS);
    if (pending.length === 0) return { runId: null, admitted: 0, rejected: 0, counts: {} };
  }
  // Entries that arrive while the run is being finished (the router's signal for this second came
  // late) are admitted, and the run goes on (admission marks it running again).
  for (;;) {
    if ((await rt.runUntilDone()) === 'continue')
      await continueAsNew<typeof triggeredCohort>({ ...input, entries: undefined, resume: carried });
    if (!state.stopped && (await condition(() => pending.length > 0 || forwards.length > 0, LINGER_MS))) continue;
    if (carried.runId) await finishRun(carried.runId, books);
    if (state.stopped || (pending.length === 0 && forwards.length === 0)) break;
  }
  return { runId: carried.runId || null, admitted: carried.admitted, rejected: carried.rejected, counts: rt.counts() };
}
