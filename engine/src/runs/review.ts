// The figures of the review before launch, from a compiled plan: the entry's start time, the
// trigger, and the SMS a member gets at most (the path from the entry with the most SMS nodes).
import { roundYuan } from '@huitou/schemas';
import type { ExecutionPlan } from '@huitou/schemas';
import type { ReviewTrigger } from '@huitou/schemas/http';

/** The audience entry's one-off start time, if it has one. */
export function entryStartAt(plan: ExecutionPlan): Date | null {
  const entry = plan.nodes[plan.entry];
  if (entry?.type !== 'entry.audience' || entry.params.schedule.kind !== 'once') return null;
  return entry.params.schedule.startAt ? new Date(entry.params.schedule.startAt) : null;
}

export function isRecurring(plan: ExecutionPlan): boolean {
  const entry = plan.nodes[plan.entry];
  return entry?.type === 'entry.audience' && entry.params.schedule.kind === 'recurring';
}

export function triggerOf(plan: ExecutionPlan): ReviewTrigger | null {
  const entry = plan.nodes[plan.entry];
  if (entry?.type === 'entry.event') return { kind: 'event', event: entry.params.event };
  if (entry?.type === 'entry.date') return { kind: 'date', rule: entry.params.rule.on, checkAt: entry.params.checkAt };
  return null;
}

export interface SmsOnPath {
  nodeId: string;
  segmentsPerMessage: number;
  costPerMember: number;
}

/**
 * The SMS nodes of the path from the entry with the most messages (then the highest cost): an
 * upper bound on what one member receives. Loop-back edges are not followed (a repeat counts once).
 */
export function mainPathSms(plan: ExecutionPlan): SmsOnPath[] {
  const best = new Map<string, SmsOnPath[]>();
  const cost = (path: SmsOnPath[]) => path.reduce((sum, s) => sum + s.costPerMember, 0);
  const better = (a: SmsOnPath[], b: SmsOnPath[]) =>
    a.length > b.length || (a.length === b.length && cost(a) > cost(b));
  // plan.order is topological over the loop-free graph: walk it backwards, successors first.
  for (const id of [...plan.order].reverse()) {
    const node = plan.nodes[id];
    if (!node) continue;
    let tail: SmsOnPath[] = [];
    for (const next of Object.values(node.next)) {
      if (next.loopBack) continue;
      const candidate = best.get(next.node) ?? [];
      if (better(candidate, tail)) tail = candidate;
    }
    if (node.type === 'action.sms') {
      const segments = node.params.estimatedSegments;
      tail = [
        { nodeId: id, segmentsPerMessage: segments, costPerMember: roundYuan(segments * node.params.unitPrice) },
        ...tail,
      ];
    }
    best.set(id, tail);
  }
  return best.get(plan.entry) ?? [];
}
