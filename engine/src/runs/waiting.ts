// Why a run's members are where they are, and until when: the workflows' cohorts (waitingQuery)
// grouped per node, reason and wake-up time, for the monitor's sentences.
import type { ExecutionPlan } from '@huitou/schemas';
import type { WaitReason, WaitingGroup } from '@huitou/schemas/http';
import type { WaitingCohort } from '@huitou/workflows';

function reasonOf(plan: ExecutionPlan, c: WaitingCohort): WaitReason {
  if (c.paused || c.deferred === 'ops') return 'paused';
  if (c.deferred === 'quiet_hours') return 'quiet_hours';
  if (c.stage === 'arrive') return 'due';
  return plan.nodes[c.node]?.type === 'wait.event' ? 'wait_for_event' : 'wait';
}

/** Cohorts of every shard, summed per node, reason and minute they move on (soonest first). */
export function waitingGroups(plan: ExecutionPlan, cohorts: readonly WaitingCohort[]): WaitingGroup[] {
  const groups = new Map<string, WaitingGroup>();
  for (const c of cohorts) {
    if (c.members <= 0) continue;
    const reason = reasonOf(plan, c);
    // Paused members move on when someone resumes, not at a time.
    const until = reason === 'paused' ? null : new Date(Math.ceil(c.until / 60_000) * 60_000).toISOString();
    const key = `${c.node}|${reason}|${until}`;
    const g = groups.get(key);
    if (g) g.members += c.members;
    else groups.set(key, { nodeId: c.node, reason, members: c.members, until });
  }
  return [...groups.values()].sort(
    (a, b) =>
      (a.until ?? '').localeCompare(b.until ?? '') ||
      a.nodeId.localeCompare(b.nodeId) ||
      a.reason.localeCompare(b.reason),
  );
}
