// The run kind of a journey comes from its entry node type's declaration (nodes/entries.ts); the
// compiled plan carries it. These read it for plans and drafts that do not carry it themselves.
import type { RunKind } from '../node-type.ts';
import type { EntryTypeId } from '../registry.ts';
import { isNodeTypeId, nodeTypes } from '../registry.ts';
import type { ExecutionPlan } from './plan.ts';

/** The run kind an entry node type declares. */
export function entryRunKind(entryType: EntryTypeId): RunKind {
  const kind = nodeTypes[entryType].runKind;
  if (kind === undefined) throw new Error(`entry node type ${entryType} declares no run kind`);
  return kind;
}

/** The API's and the journeys table's kind: date entries start triggered runs (one per customer). */
export const journeyKindOf = (kind: RunKind): 'audience' | 'triggered' =>
  kind === 'audience' ? 'audience' : 'triggered';

/** A plan stored or recorded before plans carried their kind. */
export type PlanWithoutKind = Omit<ExecutionPlan, 'kind'> & { readonly kind?: RunKind };

/** The plan with its kind: as it is when present, else filled from the entry type (deterministic; workflow-safe). */
export function withRunKind(plan: PlanWithoutKind): ExecutionPlan {
  return plan.kind !== undefined ? (plan as ExecutionPlan) : { ...plan, kind: entryRunKind(plan.entryType) };
}

/**
 * The journey kind of a draft, which may be incomplete: its entry's, audience when it has no entry
 * yet, triggered for an entry type that does not exist (the compiler rejects those on publish).
 */
export function draftJourneyKind(draft: Record<string, unknown>): 'audience' | 'triggered' {
  const nodes = Array.isArray(draft.nodes) ? (draft.nodes as { type?: unknown }[]) : [];
  const type = nodes.find((n) => typeof n?.type === 'string' && n.type.startsWith('entry.'))?.type as
    string | undefined;
  if (type === undefined) return 'audience';
  return isNodeTypeId(type) ? journeyKindOf(entryRunKind(type as EntryTypeId)) : 'triggered';
}
